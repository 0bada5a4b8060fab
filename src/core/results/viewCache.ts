/**
 * The results view of a finished run, cached next to it (`view-<profile>.json`)
 * so that opening a saved run, switching back to a profile seen before, or a
 * panel restored after a reload does not read all the raw records again. The
 * cache is keyed by the size and time of the result and records files: any
 * rewrite of either (a recovered run, a re-save) makes it stale.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunView } from '../../shared/results';
import { writeFileAtomic } from './atomicWrite';

/** Bumped whenever RunView changes shape, so views cached by an older version are rebuilt. */
export const VIEW_FORMAT = 3;

async function keyOf(files: string[]): Promise<string> {
  const parts = await Promise.all(
    files.map((f) =>
      fs.stat(f).then(
        (s) => `${s.size}:${Math.round(s.mtimeMs)}`,
        () => 'missing',
      ),
    ),
  );
  return `v${VIEW_FORMAT}|${parts.join('|')}`;
}

export async function cachedView(
  dir: string,
  profile: string,
  files: string[],
  build: () => Promise<RunView>,
): Promise<RunView> {
  const file = path.join(dir, `view-${profile}.json`);
  const key = await keyOf(files);
  try {
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { key: string; view: RunView };
    if (saved.key === key && saved.view) return saved.view;
  } catch {
    /* no cache yet, or unreadable: build it */
  }
  const view = await build();
  // Best effort: a read-only folder still shows the results.
  await writeFileAtomic(file, JSON.stringify({ key, view })).catch(() => undefined);
  return view;
}
