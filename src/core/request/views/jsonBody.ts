/**
 * JSON parsing for response bodies. TF Serving may write bare NaN, Infinity
 * and -Infinity (wire reference §6), which JSON.parse refuses: those tokens,
 * outside strings, are read as null and reported.
 */
import { escapedBytes, terminalSafeLine } from '../../util/terminalText';

export type JsonParse = { ok: true; value: unknown; nonFinite: boolean } | { ok: false; message: string };

/** Replaces bare NaN / Infinity / -Infinity outside strings by null. */
function replaceNonFinite(text: string): { text: string; changed: boolean } {
  let out = '';
  let inString = false;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const m = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9));
    if (!inString && m) {
      out += 'null';
      i += m[0].length - 1;
      changed = true;
    } else out += c;
  }
  return { text: out, changed };
}

export function parseJsonBody(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text), nonFinite: false };
  } catch (e) {
    const message = (e as Error).message;
    if (/NaN|Infinity/.test(text)) {
      const r = replaceNonFinite(text);
      if (r.changed) {
        try {
          return { ok: true, value: JSON.parse(r.text), nonFinite: true };
        } catch {
          /* still not JSON: report the first error */
        }
      }
    }
    return { ok: false, message };
  }
}

/**
 * A clear message for a body that should have been JSON: incomplete (the
 * parse ran off the end) or not JSON at all, and how the body begins,
 * escaped (a server's bytes must not act as control characters in the panel
 * or the log).
 */
export function notJsonMessage(text: string, parseMessage: string, contentType: string, bytes?: Uint8Array): string {
  const t = text.trim();
  if (!t) return 'The response body is empty, but JSON was expected';
  const at = /at position (\d+)/.exec(parseMessage);
  const ranOff =
    /end of (JSON )?input|Unterminated string/i.test(parseMessage) || (at !== null && Number(at[1]) >= t.length - 1);
  const truncated = /^[[{]/.test(t) && ranOff;
  const what = truncated ? 'The JSON response is incomplete (truncated)' : 'The response is not valid JSON';
  return `${what}: ${terminalSafeLine(parseMessage)}${contentType ? ` (Content-Type: ${terminalSafeLine(contentType)})` : ''}; it begins ${escapedBytes(bytes ?? Buffer.from(t.slice(0, 200)))}`;
}

export function isJsonContentType(ct: string): boolean {
  return /[/+]json\b/i.test(ct);
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Byte fields as they reach a JSON replacer: a Uint8Array, or a Buffer already turned into `{type:'Buffer', data}` by its toJSON. */
export function bytesOf(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  const b = v as { type?: unknown; data?: unknown } | null;
  return b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)
    ? Uint8Array.from(b.data as number[])
    : undefined;
}
