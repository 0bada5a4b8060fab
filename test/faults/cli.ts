/** Runs the real `inference-lab` CLI (from source, through tsx) and collects what it printed and its exit code. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(__dirname, '..', '..');
const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
/** The CLI runs in its own scratch folder: files it writes by default (records) never land in the repository. */
export const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-cwd-'));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; onStart?: (p: ChildProcess) => void; killAfterMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, ['--import', tsx, path.join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd: scratch,
      env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    opts.onStart?.(p);
    // A safety net only: a hung CLI fails its test instead of hanging the suite.
    const guard = setTimeout(() => p.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
    p.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Resolves when `text` has appeared on the process's stderr. */
export function waitForStderr(p: ChildProcess, text: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const on = (d: Buffer) => {
      seen += d.toString();
      if (text.test(seen)) {
        p.stderr?.off('data', on);
        resolve();
      }
    };
    p.stderr?.on('data', on);
  });
}
