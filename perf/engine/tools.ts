/**
 * The reference load tools of bench:engine, run as child processes under
 * /usr/bin/time so that their CPU time (user + system) is measured the same
 * way as ours: wrk (Debian package) and autocannon (devDependency).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface ToolRun {
  rps: number;
  requests: number;
  /** CPU seconds (user + system) of the tool's process. */
  cpuSec: number;
}

export function run(cmd: string, args: string[], cwd?: string): Promise<{ out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve({ out, err }) : reject(new Error(`${cmd} exited ${code}: ${err.trim().slice(-500)}`)),
    );
  });
}

/** `/usr/bin/time -f "%U %S"` writes the child's CPU times as the last line of stderr. */
function cpuOf(err: string): number {
  const last = err.trim().split('\n').at(-1) ?? '';
  const [u, s] = last.split(' ').map(Number);
  if (!Number.isFinite(u) || !Number.isFinite(s)) throw new Error(`cannot read CPU times from: ${last}`);
  return u + s;
}

/**
 * wrk on PATH, installed from Debian's `wrk` package when missing (idempotent: nothing happens when it is
 * there). Needs root for apt-get; otherwise the error says what to install.
 */
export async function ensureWrk(): Promise<void> {
  const has = () =>
    run('wrk', ['--version']).then(
      () => true,
      (e: Error) => !/ENOENT/.test(e.message),
    );
  if (await has()) return;
  if (process.getuid?.() !== 0) throw new Error('wrk is not installed: apt-get install wrk (needs root)');
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'wrk']).catch(async () => {
    await run('apt-get', ['update']);
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'wrk']);
  });
  if (!(await has())) throw new Error('wrk still missing after apt-get install wrk');
}

export async function wrk(
  url: string,
  connections: number,
  seconds: number,
  post?: { body: string; dir: string },
): Promise<ToolRun> {
  const args = ['-f', '%U %S', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`];
  if (post) {
    const script = path.join(post.dir, 'post.lua');
    fs.writeFileSync(
      script,
      `wrk.method = "POST"\nwrk.body = '${post.body}'\nwrk.headers["Content-Type"] = "application/json"\n`,
    );
    args.push('-s', script);
  }
  const { out, err } = await run('/usr/bin/time', [...args, url]);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const n = /(\d+) requests in/.exec(out);
  if (!m || !n) throw new Error(`cannot read wrk output:\n${out}`);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers:\n${out}`);
  return { rps: Number(m[1]), requests: Number(n[1]), cpuSec: cpuOf(err) };
}

export async function autocannon(
  url: string,
  connections: number,
  seconds: number,
  body: string,
  root: string,
): Promise<ToolRun> {
  const bin = path.join(root, 'node_modules', '.bin', 'autocannon');
  const { out, err } = await run('/usr/bin/time', [
    '-f',
    '%U %S',
    bin,
    '-j',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    url,
  ]);
  const j = JSON.parse(out) as { requests: { average: number; total: number }; non2xx: number; duration: number };
  if (j.non2xx) throw new Error(`autocannon saw ${j.non2xx} non-2xx answers`);
  return { rps: j.requests.total / j.duration, requests: j.requests.total, cpuSec: cpuOf(err) };
}

/** Starts loadServers.ts in its own process; resolves with its URL and a stop function. */
export async function startLoadServer(root: string): Promise<{ url: string; pid: number; stop(): void }> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'perf/engine/loadServers.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const rl = readline.createInterface({ input: p.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    p.once('exit', (c) => reject(new Error(`load server exited ${c}`)));
  });
  rl.close();
  return { url: (JSON.parse(line) as { url: string }).url, pid: p.pid!, stop: () => p.kill('SIGTERM') };
}
