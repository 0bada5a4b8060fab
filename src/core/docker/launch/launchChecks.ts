/**
 * Checks on a preset and launch options before anything reaches the engine:
 * each problem is an 'invalid-preset' error that names the field and says
 * what is expected, so a bad workspace file never becomes a half-made
 * container.
 */
import { isIP } from 'node:net';
import { ContainerError } from '../errors';
import type { LaunchOptions, ServerPreset } from '../presets/presetTypes';

const placeholder = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const containerName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const gpuId = /^[A-Za-z0-9][A-Za-z0-9:_.-]*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const repoPattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// Values in this shape look like credentials: they must come as secrets, never as plain settings.
const secretLooking = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY)(_|$)/i;

function invalid(message: string): ContainerError {
  return new ContainerError('invalid-preset', message);
}

/** Fills `{name}` placeholders; undefined when one of them has no value. */
export function fillPlaceholders(s: string, params: Record<string, string>): string | undefined {
  let missing = false;
  const out = s.replace(placeholder, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

/** Docker size strings (`1g`, `512m`, `67108864`), with Docker's binary units. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(s.trim());
  if (!m) throw invalid(`Size "${s}" is not valid: use a number with k, m or g, e.g. 1g.`);
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * mult);
}

/** Internal consistency of a preset (built-in or from a workspace file). */
export function checkPreset(p: ServerPreset): void {
  const names = new Set<string>();
  for (const port of p.ports) {
    if (names.has(port.name)) throw invalid(`Preset "${p.id}" declares port "${port.name}" twice.`);
    names.add(port.name);
  }
  if (!names.has(p.health.port))
    throw invalid(
      `Preset "${p.id}": health port "${p.health.port}" is not one of its ports (${[...names].join(', ')}).`,
    );
  if (!repoPattern.test(p.image)) throw invalid(`Preset "${p.id}": "${p.image}" is not a valid image repository.`);
  if (!tagPattern.test(p.tag) || (p.cpuTag !== undefined && !tagPattern.test(p.cpuTag)))
    throw invalid(`Preset "${p.id}": invalid image tag.`);
  for (const e of p.env) {
    if (!envName.test(e.name)) throw invalid(`Preset "${p.id}": "${e.name}" is not a valid environment variable name.`);
    if (!e.secret && secretLooking.test(e.name) && e.value)
      throw invalid(`Preset "${p.id}": ${e.name} looks like a credential; mark it secret instead of storing a value.`);
  }
  if (p.shmSize) parseSize(p.shmSize);
}

function checkPorts(preset: ServerPreset, o: LaunchOptions): void {
  const known = new Set(preset.ports.map((p) => p.name));
  const used = new Map<number, string>();
  for (const [name, port] of Object.entries(o.hostPorts ?? {})) {
    if (!known.has(name))
      throw invalid(`Unknown port "${name}" for ${preset.label}: expected one of ${[...known].join(', ')}.`);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw invalid(`Host port for "${name}" must be 1–65535, got ${port}.`);
  }
  for (const p of preset.ports) {
    const host = o.hostPorts?.[p.name] ?? p.defaultHostPort;
    const other = used.get(host);
    if (other) throw invalid(`Ports "${other}" and "${p.name}" both use host port ${host}.`);
    used.set(host, p.name);
  }
  if (o.bindAddress !== undefined && !isIP(o.bindAddress))
    throw invalid(`Bind address "${o.bindAddress}" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).`);
}

function checkEnv(preset: ServerPreset, o: LaunchOptions): void {
  const secretNames = new Set([...preset.env.filter((e) => e.secret).map((e) => e.name), ...(o.secretEnv ?? [])]);
  for (const name of [...Object.keys(o.env ?? {}), ...(o.secretEnv ?? [])]) {
    if (!envName.test(name)) throw invalid(`"${name}" is not a valid environment variable name.`);
  }
  for (const name of Object.keys(o.env ?? {})) {
    if (secretNames.has(name) || secretLooking.test(name)) {
      throw invalid(
        `${name} looks like a credential: supply it as a secret (from secret storage), not as a plain environment value.`,
      );
    }
  }
  // `--api-key sk-…` on the command line would land in settings, logs and `docker inspect`.
  const flag = (o.extraArgs ?? []).find(
    (a) => /^--?[\w-]+/.test(a) && secretLooking.test(a.split('=')[0].replace(/-/g, '_')),
  );
  if (flag) {
    throw invalid(
      `Argument ${flag.split('=')[0]} would put a credential on the command line: pass it as a secret environment variable instead (e.g. VLLM_API_KEY).`,
    );
  }
}

function checkGpus(preset: ServerPreset, o: LaunchOptions): void {
  const g = o.gpus ?? 'all';
  if (g === 'none' && !preset.supportsCpu) throw invalid(`${preset.label} needs a GPU: it cannot be launched on CPU.`);
  if (Array.isArray(g) && (g.length === 0 || !g.every((id) => gpuId.test(id)))) {
    throw invalid('GPU device ids must be indexes or UUIDs, e.g. ["0", "1"].');
  }
}

function checkMisc(preset: ServerPreset, o: LaunchOptions): void {
  if (o.name !== undefined && !containerName.test(o.name))
    throw invalid(`Container name "${o.name}" may only hold letters, digits, "_", "." and "-".`);
  if (o.tag !== undefined && !tagPattern.test(o.tag)) throw invalid(`Image tag "${o.tag}" is not valid.`);
  if (o.image !== undefined && !repoPattern.test(o.image))
    throw invalid(`Image "${o.image}" is not a valid repository name (lower case, no tag).`);
  if (o.shmSize !== undefined) parseSize(o.shmSize);
  if (o.healthTimeoutMs !== undefined && !(o.healthTimeoutMs > 0))
    throw invalid('The health timeout must be a positive number of milliseconds.');
  const roles = new Set(preset.volumes.map((v) => v.role));
  for (const role of Object.keys(o.volumes ?? {})) {
    if (!roles.has(role))
      throw invalid(`${preset.label} has no "${role}" volume (it has: ${[...roles].join(', ') || 'none'}).`);
  }
  for (const v of preset.volumes) {
    if (v.required && !(o.volumes?.[v.role] ?? v.defaultSource))
      throw invalid(`${preset.label} needs a ${v.role} volume: ${v.description}`);
  }
}

/** Validates preset + options; returns the params with the preset's defaults filled in. */
export function validateLaunchInput(preset: ServerPreset, o: LaunchOptions): Record<string, string> {
  checkPreset(preset);
  const params: Record<string, string> = {};
  for (const p of preset.params) if (p.default !== undefined) params[p.name] = p.default;
  for (const [k, v] of Object.entries(o.params ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number') throw invalid(`Parameter "${k}" must be a string or a number.`);
    if (/[\r\n\0]/.test(String(v))) throw invalid(`Parameter "${k}" must be a single line.`);
    params[k] = String(v).trim();
  }
  for (const p of preset.params) {
    if (p.required && !params[p.name]) throw invalid(`${preset.label} needs "${p.label}" (${p.name}).`);
  }
  checkPorts(preset, o);
  checkEnv(preset, o);
  checkGpus(preset, o);
  checkMisc(preset, o);
  return params;
}
