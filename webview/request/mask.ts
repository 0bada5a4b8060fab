/**
 * What the webview persists of a draft (VS Code keeps webview state on disk):
 * credential headers carry the API key placeholder, as in history and saved
 * files. Pure code.
 */
import { maskHeaderValue, type RequestDraft } from '../../src/shared/messages/request';

export function maskDraftForState(d: RequestDraft): RequestDraft {
  if (!d.headers?.length) return d;
  return { ...d, headers: d.headers.map((h) => ({ name: h.name, value: maskHeaderValue(h.name, h.value) })) };
}
