/**
 * The embedded server in its own process (`inference-lab serve` from source),
 * so its timers do not share the test's event loop. Resolves with its
 * endpoints once it prints its "listening" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(__dirname, '..', '..', '..');

export async function startEmbeddedProcess(
  dir: string,
  config: object,
): Promise<{ proc: ChildProcess; endpoints: Record<string, string> }> {
  const file = path.join(dir, 'server.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', file], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d));
  const rl = readline.createInterface({ input: proc.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`inference-lab serve exited ${code}: ${err}`)));
  });
  rl.close();
  return { proc, endpoints: (JSON.parse(line) as { endpoints: Record<string, string> }).endpoints };
}
