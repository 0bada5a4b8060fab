import fs from 'node:fs/promises';
import path from 'node:path';
import { GuideLibrary } from '../../../src/core/guide/library';

/** The shipped guide, read from media/guide as the extension reads it. */
export const guideRoot = path.resolve(__dirname, '..', '..', '..', 'media', 'guide');

export function diskGuide(): GuideLibrary {
  return new GuideLibrary((id) => fs.readFile(path.join(guideRoot, `${id}.md`), 'utf8'));
}

/** Every .md file under media/guide, as page ids. */
export async function pageFilesOnDisk(dir = guideRoot, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await pageFilesOnDisk(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.name.endsWith('.md')) out.push(`${prefix}${e.name.slice(0, -3)}`);
  }
  return out;
}
