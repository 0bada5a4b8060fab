/**
 * Ray Serve's HTTP proxy (wire-reference §11): `/-/healthz` says "success"
 * (503 while draining), `/-/routes` maps route prefixes to applications.
 * Payloads are application-defined: an application that speaks OpenAI under
 * its route prefix has its models listed (and requests drafted) by their own
 * names, others stand for themselves. Metrics come from the Ray metrics agent
 * on a port of the operator's choosing, so only a configured URL is scraped.
 */
import { InferenceError } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import type { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, StreamFraming } from '../types';
import { openAiListFrom, toModelInfo, type OpenAiModel } from './openaiCommon';
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

  /** The OpenAI models an application lists under its route prefix; undefined when it answers no OpenAI list there. */
  private async servedModels(route: string, signal?: AbortSignal): Promise<OpenAiModel[] | undefined> {
    const res = await this.http.get(`${route.replace(/\/+$/, '')}/v1/models`, signal);
    if (res.status !== 200) return undefined;
    try {
      return openAiListFrom(res.json());
    } catch {
      return undefined;
    }
  }

  /**
   * The models each application serves: an application that speaks OpenAI under its (first) route prefix lists
   * them at `<route>/v1/models`, and each becomes a model of that application. An application with no such list
   * stands for itself (one entry however many routes lead to it). The proxy gives no per-application readiness.
   */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const byApp = new Map<string, string[]>();
    for (const [route, app] of Object.entries(await this.routes(signal)))
      byApp.set(app, [...(byApp.get(app) ?? []), route]);
    const perApp = await Promise.all(
      [...byApp].map(async ([name, routes]): Promise<ModelInfo[]> => {
        const served = await this.servedModels(routes[0], signal);
        if (served?.length) return served.map((m) => ({ ...toModelInfo(m), application: { name, route: routes[0] } }));
        return [{ name, state: `${routes.length > 1 ? 'routes' : 'route'} ${routes.join(', ')}` }];
      }),
    );
    return perApp.flat();
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const served = (await this.listModels(signal)).find((m) => m.name === model && m.application);
    if (served?.application) {
      const { name, route } = served.application;
      const card = (await this.servedModels(route, signal))?.find((m) => m.id === model);
      const properties: ModelMetadata['properties'] = { application: name, route };
      if (card?.owned_by) properties.ownedBy = card.owned_by;
      if (typeof card?.max_model_len === 'number') properties.maxModelLen = card.max_model_len;
      return { name: model, inputs: [], outputs: [], properties };
    }
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
