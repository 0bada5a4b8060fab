/**
 * Who each server in the tree is and where it listens, before any probe: a
 * configured settings entry, one personality of the embedded server, or a
 * server discovered on a well-known port. Each also yields the ServerConfig
 * the prober uses, so every origin is probed the same way.
 */
import { joinUrl } from '../serverHttp';
import type { ServerConfig, ServerKind } from '../types';
import { isServerKind } from '../types';
import type { ServerEntry } from './serverEntries';
import type { EndpointView, ServerIdentity } from './viewState';

/** A server of the tree with the config it is probed with. */
export interface TreeServer {
  identity: ServerIdentity;
  config: ServerConfig;
}

export function configuredServer(e: ServerEntry): TreeServer {
  const endpoints: EndpointView[] = [{ label: 'HTTP', address: e.url }];
  if (e.managementUrl) endpoints.push({ label: 'Management', address: e.managementUrl });
  if (e.metricsUrl) endpoints.push({ label: 'Metrics', address: e.metricsUrl });
  if (e.grpcAddress) endpoints.push({ label: 'gRPC', address: e.grpcAddress });
  const kind = e.kind && e.kind !== 'auto' ? e.kind : undefined;
  return {
    identity: {
      key: `cfg:${e.id}`,
      id: e.id,
      origin: 'configured',
      name: e.name,
      url: e.url,
      kind,
      endpoints,
      allowSelfSigned: e.allowSelfSigned,
    },
    config: { ...e },
  };
}

/** One running personality of the embedded server, as its `start` reported it. */
export interface PersonalityEndpoints {
  /** Config name, e.g. "vllm", "triton" (also the server kind it speaks). */
  name: string;
  /** Human label, e.g. "vLLM (OpenAI-compatible)". */
  title: string;
  /** `{ triton: "http://…", tritonGrpc: "127.0.0.1:P", tritonMetrics: "http://…" }`. */
  endpoints: Record<string, string>;
}

const suffixLabels: Record<string, string> = { '': 'HTTP', Grpc: 'gRPC', Management: 'Management', Metrics: 'Metrics' };

/** Model names a TF Serving personality is checked with (it cannot list them). */
export function embeddedServer(p: PersonalityEndpoints, tfModels: string[] = []): TreeServer | undefined {
  const url = p.endpoints[p.name];
  if (!url || !isServerKind(p.name)) return undefined;
  const kind: ServerKind = p.name;
  const endpoints: EndpointView[] = Object.entries(p.endpoints).map(([k, address]) => {
    const suffix = k.startsWith(p.name) ? k.slice(p.name.length) : k;
    return { label: suffixLabels[suffix] ?? suffix, address };
  });
  const ep = (suffix: string) => p.endpoints[`${p.name}${suffix}`];
  const metrics = ep('Metrics');
  const config: ServerConfig = {
    id: `embedded.${p.name}`,
    name: p.title,
    url,
    kind,
    // Free ports are not consecutive, so the side ports are given, not derived (+1/+2).
    managementUrl: ep('Management'),
    metricsUrl: metrics ? (new URL(metrics).pathname.length > 1 ? metrics : joinUrl(metrics, '/metrics')) : undefined,
    grpcAddress: ep('Grpc'),
    models: kind === 'tfserving' ? tfModels : undefined,
  };
  return {
    identity: { key: `emb:${p.name}`, id: p.name, origin: 'embedded', name: p.title, url, kind, endpoints },
    config,
  };
}

/** A server found answering on a well-known port of this machine. */
export function discoveredServer(port: number, url: string, kind: ServerKind, kindLabel: string): TreeServer {
  return {
    identity: {
      key: `disc:${port}`,
      id: String(port),
      origin: 'discovered',
      name: `${kindLabel} on port ${port}`,
      url,
      kind,
      endpoints: [{ label: 'HTTP', address: url }],
    },
    config: { id: `discovered.${port}`, name: `${kindLabel} on port ${port}`, url, kind },
  };
}
