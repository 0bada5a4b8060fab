/**
 * KServe v2 gRPC health and metadata (wire-reference §2) through the shared
 * `inference.GRPCInferenceService` client, for servers whose gRPC address is
 * known (KServe 8081, Triton 8001). One short-lived channel per call keeps a
 * probe from holding connections between refreshes.
 */
import type { InferenceClient } from '../../proto/grpcInference';
import type { OipGrpcProbe, ServerConfig } from '../types';
import { defaultTimeoutMs } from '../serverHttp';

async function withClient<T>(
  config: ServerConfig,
  signal: AbortSignal | undefined,
  fn: (c: InferenceClient) => Promise<T>,
): Promise<T> {
  // grpc-js and the protos load only when a gRPC address is actually probed.
  const { createInferenceClient } = await import('../../proto/grpcInference.js');
  const client = createInferenceClient(config.grpcAddress!, {
    signal,
    deadlineMs: config.timeoutMs ?? defaultTimeoutMs,
    tls: config.allowSelfSigned ? { allowSelfSigned: true } : undefined,
    metadata: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : undefined,
  });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/**
 * Where a KServe v2 server given only by its HTTP URL most likely listens for gRPC: the next port (Triton 8000 →
 * 8001, KServe and MLServer 8080 → 8081, each server's default layout). Only for a plain `http://host:port` URL:
 * a path or TLS means a proxy or ingress in front, whose gRPC address cannot be guessed.
 */
export function derivedGrpcAddress(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' || !u.port || u.pathname.replace(/\/+$/, '') !== '') return undefined;
  const port = Number(u.port) + 1;
  return port <= 65535 ? `${u.hostname}:${port}` : undefined;
}

/** The gRPC side of an OIP server, or undefined when no gRPC address is configured. */
export function oipGrpcProbe(config: ServerConfig): OipGrpcProbe | undefined {
  const address = config.grpcAddress?.trim();
  if (!address) return undefined;
  return {
    address,
    health: (signal) =>
      withClient(config, signal, async (c) => {
        const [live, ready] = await Promise.all([c.serverLive({ signal }), c.serverReady({ signal })]);
        return {
          live: live.live || ready.ready,
          ready: ready.ready,
          detail: ready.ready ? undefined : `gRPC ServerReady → false (${address})`,
        };
      }),
    serverMetadata: (signal) =>
      withClient(config, signal, async (c) => {
        const m = await c.serverMetadata({ signal });
        return { name: m.name, version: m.version || undefined, extensions: m.extensions ?? [] };
      }),
    modelMetadata: (model, signal, version) =>
      withClient(config, signal, async (c) => {
        const m = await c.modelMetadata({ name: model, version: version ?? '' }, { signal });
        return {
          name: m.name || model,
          platform: m.platform || undefined,
          versions: m.versions?.length ? m.versions : undefined,
          inputs: (m.inputs ?? []).map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
          outputs: (m.outputs ?? []).map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
          properties: { ...(m.properties ?? {}) },
        };
      }),
  };
}
