import { serverMessageFromBody } from '../../http/errors';
import type { ServerHttp } from '../serverHttp';
import type { HealthResult } from '../types';

/**
 * Health told by the status of one GET (vLLM, TGI, TEI: 200 / 503 with an
 * empty body, §12; TorchServe 200 / 500; Ray Serve 200 / 503). Any HTTP answer
 * means the process is up; only 200 means it can serve. 401/403 throw the
 * auth error rather than pass for "not ready", and 404 throws too: the path
 * does not exist, so this is not that kind of server (or not at this URL).
 */
export async function statusHealth(http: ServerHttp, path: string, signal?: AbortSignal): Promise<HealthResult> {
  const r = await http.get(path, signal);
  if (r.status === 401 || r.status === 403 || r.status === 404) http.ensureOk(r);
  if (r.status === 200) return { live: true, ready: true };
  const said = serverMessageFromBody(r.body);
  return { live: true, ready: false, detail: `GET ${path} → HTTP ${r.status}${said ? `: ${said}` : ' (empty body)'}` };
}
