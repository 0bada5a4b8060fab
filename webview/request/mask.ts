/**
 * What the webview persists of a draft (VS Code keeps webview state on disk):
 * credential headers and a raw path's secret query parameters carry the API
 * key placeholder, as in history and saved files. Pure code.
 */
import { API_KEY_PLACEHOLDER, maskHeaderValue, type RequestDraft } from '../../src/shared/messages/request';
import { maskQuery } from '../../src/shared/redact';

export function maskDraftForState(d: RequestDraft): RequestDraft {
  const out: RequestDraft = { ...d };
  if (d.headers?.length)
    out.headers = d.headers.map((h) => ({ name: h.name, value: maskHeaderValue(h.name, h.value) }));
  if (d.path) out.path = maskQuery(d.path, API_KEY_PLACEHOLDER);
  return out;
}
