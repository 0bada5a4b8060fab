/**
 * Quoting for generated commands and code. The API key placeholder becomes
 * an environment variable reference in each language, so copied text never
 * holds a secret and still runs once the variable is exported.
 */
import { API_KEY_ENV, API_KEY_PLACEHOLDER } from '../build/wire';

/** POSIX shell single quotes (`'` becomes `'\''`). */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_\-+=/.,:@%^]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Shell word where the placeholder expands to "$INFERENCE_LAB_API_KEY". */
export function shQuoteWithKey(s: string): string {
  if (!s.includes(API_KEY_PLACEHOLDER)) return shQuote(s);
  return s
    .split(API_KEY_PLACEHOLDER)
    .map((part) => (part ? `'${part.replace(/'/g, `'\\''`)}'` : ''))
    .join(`"$${API_KEY_ENV}"`);
}

/** A bytes body for `printf` (octal escapes; `%` and `\` escaped), piped into curl's stdin. */
export function printfBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (b >= 0x20 && b < 0x7f && c !== '%' && c !== '\\' && c !== "'") out += c;
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

/** A JSON string literal, valid as a Python and TypeScript string literal too. */
export function strLit(s: string): string {
  return JSON.stringify(s);
}

/** Python expression for a header value: an f-string reading the environment when the key is used. */
export function pyValue(s: string): string {
  if (!s.includes(API_KEY_PLACEHOLDER)) return strLit(s);
  const parts = s.split(API_KEY_PLACEHOLDER).map((p) =>
    strLit(p)
      .slice(1, -1)
      .replace(/[{}]/g, (m) => m + m),
  );
  return `f"${parts.join(`{os.environ['${API_KEY_ENV}']}`)}"`;
}

/** TypeScript expression for a header value: a template literal reading process.env when the key is used. */
export function tsValue(s: string): string {
  if (!s.includes(API_KEY_PLACEHOLDER)) return strLit(s);
  const parts = s.split(API_KEY_PLACEHOLDER).map((p) => p.replace(/[`\\$]/g, (m) => `\\${m}`));
  return `\`${parts.join(`\${process.env.${API_KEY_ENV}}`)}\``;
}

/** Bytes as text when they are valid UTF-8 without control characters other than whitespace. */
export function bytesAsText(b: Uint8Array): string | undefined {
  const s = Buffer.from(b).toString('utf8');
  if (Buffer.byteLength(s) !== b.length || s.includes('\ufffd')) return undefined;
  // Control characters other than tab, newline and carriage return do not paste well.
  for (const byte of b) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return undefined;
  return s;
}

export function hasKey(headers: Record<string, string>): boolean {
  return Object.values(headers).some((v) => v.includes(API_KEY_PLACEHOLDER));
}
