/**
 * A launch as the equivalent `docker run` command, for users who keep it in a
 * script or README. Secrets appear as `-e NAME` only: docker then reads the
 * value from the caller's environment, so the command holds no credential.
 */
import { bindString } from './createBody';
import type { LaunchSpec } from './launchSpec';

/** POSIX shell quoting: bare when safe, otherwise single quotes. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function gpusFlag(gpus: LaunchSpec['gpus']): string | undefined {
  if (gpus === 'none') return undefined;
  if (gpus === 'all') return 'all';
  // The CLI parses --gpus as CSV, so a device list needs inner double quotes.
  return `"device=${gpus.join(',')}"`;
}

/** Groups of arguments; each group goes on its own line. */
function runArgs(spec: LaunchSpec): string[][] {
  const lines: string[][] = [['docker', 'run', '-d', '--name', spec.name]];
  const gpus = gpusFlag(spec.gpus);
  if (gpus) lines.push(['--gpus', gpus]);
  if (spec.shmSize) lines.push(['--shm-size', spec.shmSize]);
  if (spec.ipcHost) lines.push(['--ipc', 'host']);
  for (const u of spec.ulimits)
    lines.push(['--ulimit', u.soft === u.hard ? `${u.name}=${u.soft}` : `${u.name}=${u.soft}:${u.hard}`]);
  for (const p of spec.ports) lines.push(['-p', `${p.hostIp}:${p.hostPort}:${p.container}`]);
  for (const m of spec.mounts) lines.push(['-v', bindString(m)]);
  for (const e of spec.env) lines.push(['-e', e.secret ? e.name : `${e.name}=${e.value ?? ''}`]);
  for (const [k, v] of Object.entries(spec.labels)) lines.push(['--label', `${k}=${v}`]);
  lines.push([spec.image]);
  if (spec.cmd.length) lines.push(spec.cmd);
  return lines;
}

/** The command, one option per line with `\` continuations. */
export function renderDockerRun(spec: LaunchSpec): string {
  return runArgs(spec)
    .map((group) => group.map(shellQuote).join(' '))
    .join(' \\\n  ');
}

/** The same command as an argv array (for spawning `docker` without a shell). */
export function dockerRunArgv(spec: LaunchSpec): string[] {
  return runArgs(spec).flat().slice(1);
}
