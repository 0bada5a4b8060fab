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
