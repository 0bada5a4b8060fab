/**
 * Ray Serve's HTTP proxy (wire-reference §11): `/-/healthz` says "success"
 * (503 while draining), `/-/routes` maps route prefixes to applications.
 * Payloads are application-defined; metrics come from the Ray metrics agent
 * on a port of the operator's choosing, so only a configured URL is scraped.
 */
import { InferenceError } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import type { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, StreamFraming } from '../types';
import { statusHealth } from './statusHealth';

function routeMap(j: unknown): Record<string, string> | undefined {
  if (!j || typeof j !== 'object' || Array.isArray(j)) return undefined;
  const entries = Object.entries(j as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === 'string') ? (j as Record<string, string>) : undefined;
}

export class RayServeAdapter extends AdapterBase {
  readonly kind = 'rayserve' as const;
  override readonly streamFraming: StreamFraming = 'app-defined';
  protected override noMetricsReason =
    "Ray Serve metrics come from the Ray metrics agent (ray start --metrics-export-port): set this server's metrics URL to scrape them.";

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const [routes, healthz] = await Promise.all([probe.get('/-/routes'), probe.get('/-/healthz')]);
    const map = routes.reached && routes.status === 200 ? routeMap(routes.json) : undefined;
    if (!map) return { matched: false, evidence: 'GET /-/routes gave no route → application map' };
    const said = healthz.reached ? `; GET /-/healthz → ${healthz.status} ${healthz.text.trim().slice(0, 40)}` : '';
    return { matched: true, evidence: `GET /-/routes → ${Object.keys(map).length} route(s)${said}` };
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return statusHealth(this.http, '/-/healthz', signal);
  }

  private async routes(signal?: AbortSignal): Promise<Record<string, string>> {
    const j = await this.http.getJson<unknown>('/-/routes', signal);
    const map = routeMap(j);
    if (!map)
      throw new InferenceError('malformed', `${this.http.url('/-/routes')} did not return a route → application map`, {
        url: this.http.url('/-/routes'),
      });
    return map;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    // Applications stand in for models (one entry per application, however many
    // routes lead to it); the proxy gives no per-application readiness.
    const byApp = new Map<string, string[]>();
    for (const [route, app] of Object.entries(await this.routes(signal)))
      byApp.set(app, [...(byApp.get(app) ?? []), route]);
    return [...byApp].map(([name, routes]) => ({
      name,
      state: `${routes.length > 1 ? 'routes' : 'route'} ${routes.join(', ')}`,
    }));
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const routes = Object.entries(await this.routes(signal)).filter(([, app]) => app === model);
    if (!routes.length)
      throw new InferenceError('http', `No Ray Serve application "${model}" on ${this.http.base}`, {
        status: 404,
        url: this.http.url('/-/routes'),
      });
    return { name: model, inputs: [], outputs: [], properties: { routes: routes.map(([r]) => r).join(', ') } };
  }

  protected override metricsUrl(): string | undefined {
    return this.config.metricsUrl;
  }
}
