/**
 * Reading and writing the `inferenceLab.servers` setting. Settings are typed
 * by package.json's schema but a user can write anything in settings.json, so
 * each entry is checked here: a bad entry becomes a readable problem (shown in
 * the tree) instead of breaking the others. API keys are never read from or
 * written to settings; they live in secret storage.
 */
import { isServerKind, type ServerConfig } from '../types';
import { redactUrl } from '../../../shared/redact';

/** One entry of `inferenceLab.servers` as stored in settings (ServerConfig minus the API key). */
export type ServerEntry = Omit<ServerConfig, 'apiKey'>;

export interface EntryProblem {
  /** Position in the settings array. */
  index: number;
  /** The entry's id or name when it has one, for the message. */
  label: string;
  message: string;
}

export interface ParsedEntries {
  servers: ServerEntry[];
  problems: EntryProblem[];
}

const optionalStrings = ['managementUrl', 'metricsUrl', 'grpcAddress'] as const;

function checkEntry(raw: unknown): ServerEntry | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'is not an object';
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== 'string' || !r.url.trim()) return 'has no "url"';
  if (r.kind !== undefined && r.kind !== 'auto' && !isServerKind(r.kind))
    return `has an unknown "kind" ${JSON.stringify(r.kind)}`;
  if ('apiKey' in r)
    return 'holds an "apiKey": API keys belong in secret storage (use "Edit Server" to set it), never in settings';
  const out: ServerEntry = {
    id: typeof r.id === 'string' && r.id.trim() ? r.id.trim() : slugify(typeof r.name === 'string' ? r.name : r.url),
    name: typeof r.name === 'string' && r.name.trim() ? r.name.trim() : redactUrl(r.url.trim()),
    url: r.url.trim(),
  };
  if (r.kind !== undefined) out.kind = r.kind as ServerEntry['kind'];
  if (Array.isArray(r.models)) out.models = r.models.filter((m): m is string => typeof m === 'string' && m.length > 0);
  for (const k of optionalStrings)
    if (typeof r[k] === 'string' && (r[k] as string).trim()) out[k] = (r[k] as string).trim();
  if (r.allowSelfSigned === true) out.allowSelfSigned = true;
  if (typeof r.timeoutMs === 'number' && r.timeoutMs > 0) out.timeoutMs = r.timeoutMs;
  return out;
}

/** Checks every entry of the raw setting; duplicates of an id keep the first. */
export function parseServerEntries(raw: unknown): ParsedEntries {
  const servers: ServerEntry[] = [];
  const problems: EntryProblem[] = [];
  if (raw === undefined || raw === null) return { servers, problems };
  if (!Array.isArray(raw))
    return { servers, problems: [{ index: -1, label: 'inferenceLab.servers', message: 'is not an array of servers' }] };
  const ids = new Set<string>();
  raw.forEach((item, index) => {
    const e = checkEntry(item);
    const label = labelOf(item, index);
    if (typeof e === 'string') problems.push({ index, label, message: `Server entry ${label} ${e}.` });
    else if (ids.has(e.id))
      problems.push({
        index,
        label,
        message: `Server entry ${label} repeats the id "${e.id}"; only the first is used.`,
      });
    else {
      ids.add(e.id);
      servers.push(e);
    }
  });
  return { servers, problems };
}

function labelOf(item: unknown, index: number): string {
  const r = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
  const name = typeof r.id === 'string' ? r.id : typeof r.name === 'string' ? r.name : undefined;
  return name ? `"${name}"` : `#${index + 1}`;
}

/** A settings-safe id from a name or URL: lower-case letters, digits and dashes. */
export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'server';
}

/** `base`, or `base-2`, `base-3`… whichever is not taken yet. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const slug = slugify(base);
  if (!used.has(slug)) return slug;
  for (let i = 2; ; i++) if (!used.has(`${slug}-${i}`)) return `${slug}-${i}`;
}

/** The entry as written to settings: no API key, no empty optional fields, a stable key order. */
export function toStoredEntry(cfg: ServerConfig | ServerEntry): ServerEntry {
  const { apiKey: _drop, ...rest } = cfg as ServerConfig;
  const out: Record<string, unknown> = {};
  for (const k of [
    'id',
    'name',
    'url',
    'kind',
    'models',
    'managementUrl',
    'metricsUrl',
    'grpcAddress',
    'allowSelfSigned',
    'timeoutMs',
  ] as const) {
    const v = rest[k];
    if (v === undefined || v === '' || v === false || (Array.isArray(v) && !v.length)) continue;
    out[k] = v;
  }
  return out as unknown as ServerEntry;
}

/** The raw setting array with `entry` replacing the item of the same id (or appended). Other items stay as the user wrote them. */
export function upsertRawEntry(raw: unknown, entry: ServerEntry): unknown[] {
  const list = Array.isArray(raw) ? [...raw] : [];
  const i = list.findIndex((x) => idOfRaw(x) === entry.id);
  if (i >= 0) list[i] = toStoredEntry(entry);
  else list.push(toStoredEntry(entry));
  return list;
}

/** The raw setting array without the item of that id. */
export function removeRawEntry(raw: unknown, id: string): unknown[] {
  return (Array.isArray(raw) ? raw : []).filter((x) => idOfRaw(x) !== id);
}

/** True when the raw setting array holds an entry of that id (given or derived from its name). */
export function rawHasId(raw: unknown, id: string): boolean {
  return Array.isArray(raw) && raw.some((x) => idOfRaw(x) === id);
}

function idOfRaw(x: unknown): string | undefined {
  const e = checkEntry(x);
  return typeof e === 'string' ? undefined : e.id;
}
