/**
 * Keeping credentials out of everything the panel stores or shows. The
 * stored API key is only ever referenced by API_KEY_PLACEHOLDER; a secret
 * the user typed into a raw header (or pasted into a body) is replaced by
 * the placeholder before a draft reaches history, a saved file or a
 * copied command.
 */
import {
  API_KEY_PLACEHOLDER,
  maskHeaderValue,
  SENSITIVE_HEADER,
  type RawHeader,
  type RequestDraft,
} from '../../shared/request';
import { MASK, maskQuery } from '../../shared/redact';

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name.trim());
}

function scrub(text: string | undefined, apiKey: string | undefined): string | undefined {
  if (text === undefined || !apiKey || apiKey.length < 4) return text;
  return text.split(apiKey).join(API_KEY_PLACEHOLDER);
}

/** A copy of the draft with no secret in it (the only form that is stored or copied). */
export function maskDraft(d: RequestDraft, apiKey?: string): RequestDraft {
  const headers: RawHeader[] | undefined = d.headers?.map((h) => {
    const v = scrub(h.value, apiKey) ?? '';
    return { name: h.name, value: maskHeaderValue(h.name, v) };
  });
  const out: RequestDraft = { ...d };
  if (headers) out.headers = headers;
  if (d.body !== undefined) out.body = scrub(d.body, apiKey);
  if (d.wsMessages) out.wsMessages = d.wsMessages.map((m) => scrub(m, apiKey) ?? m);
  // A typed `?token=`, `api_key=`… in a raw path becomes the placeholder too.
  if (d.path !== undefined) out.path = maskQuery(scrub(d.path, apiKey) ?? '', API_KEY_PLACEHOLDER);
  return out;
}

/** Header values as the panel shows them: the placeholder and sensitive values dotted out. */
export function displayHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = v.includes(API_KEY_PLACEHOLDER)
      ? v.split(API_KEY_PLACEHOLDER).join(MASK)
      : isSensitiveHeader(k)
        ? MASK
        : v;
  }
  return out;
}
