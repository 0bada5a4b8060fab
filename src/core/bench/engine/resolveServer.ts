import { InferenceError, safeUrl, toInferenceError } from '../../http/errors';
import type { Logger } from '../../util/logger';
import { detectServer, type DetectResult } from '../../servers/detect';
import { createAdapter, kindLabels, kinds } from '../../servers/registry';
import { createInferenceClient } from '../../proto/grpcInference';
import type { ModelMetadata, ServerKind } from '../../servers/types';
import type { AdapterBase } from '../../servers/adapterBase';
import { chooseModel } from './chooseModel';
import type { ServerFacts } from '../result';
import { groupApis, type BenchApi, type BenchGroup, type LoraAdapter } from '../spec';
import { BenchSpecError, type NormalizedSpec } from '../specNormalize';

/** The API a server kind speaks for a group when the spec names none (the kind's descriptor in the registry). */
const defaultApi = (group: BenchGroup, kind: ServerKind): BenchApi | undefined => kinds[kind].benchApis[group];

/** The APIs some kind speaks for the group, in the group's order. */
const kindApis = (group: BenchGroup): readonly string[] =>
  groupApis[group].filter((api) => Object.values(kinds).some((k) => k.benchApis[group] === api));

/** A server kind that speaks this API for the group (its descriptor): its model listing serves an unrecognized server. */
const kindSpeaking = (group: BenchGroup, api: BenchApi): ServerKind | undefined =>
  (Object.keys(kinds) as ServerKind[]).find((k) => kinds[k].benchApis[group] === api);

/** APIs that do not name a model in their requests (TGI and TEI serve exactly one). */
const modelless = new Set<BenchApi>(['tgi', 'tei']);

export interface ResolvedServer {
  api: BenchApi;
  model: string;
  kind?: ServerKind;
  facts: ServerFacts;
  /** Tensor names and shapes (image-classification and embeddings), when the server describes its models. */
  metadata?: ModelMetadata;
  /** The server's Prometheus endpoint (its kind's own port and path), or why there is none to read. */
  metrics: { url?: string; reason?: string };
  /**
   * A path the model's API sits under on the server ("/llm": the route prefix of the Ray Serve application serving
   * it); every request goes under it. Absent when the API sits at the URL itself.
   */
  routePrefix?: string;
}

/**
 * Ray Serve: the route prefix of the application that serves `model` (the proxy lists the applications, each
 * application its models under its prefix), without a trailing slash; undefined at "/" or when no application
 * lists the model.
 */
async function applicationRoute(
  adapter: AdapterBase,
  model: string,
  opts: { signal?: AbortSignal; logger?: Logger },
): Promise<string | undefined> {
  const listed = await adapter.listModels(opts.signal).catch((e: unknown) => {
    opts.logger?.warn(`Ray Serve applications not read: ${toInferenceError(e).message}`);
    return [];
  });
  const app = listed.find((m) => m.name === model)?.application;
  const route = app?.route.replace(/\/+$/, '');
  if (app) opts.logger?.info(`${model} is served by the Ray Serve application "${app.name}" at ${app.route}`);
  return route || undefined;
}

function unreachable(d: DetectResult, url: string): InferenceError {
  if (d.outcome === 'auth-failed') return new InferenceError('auth', `${safeUrl(url)}: ${d.evidence}`);
  return new InferenceError(d.error?.kind ?? 'unknown', d.error?.message ?? d.evidence, { url });
}

/**
 * LoRA traffic: every adapter must be one the server lists (vLLM lists its
 * `--lora-modules` in /v1/models beside the base model), else the run stops
 * before the first request, naming the adapter. A server whose list cannot be
 * read is not checked (its answers will tell).
 */
async function checkAdapters(
  lora: readonly LoraAdapter[],
  lister: AdapterBase,
  url: string,
  opts: { signal?: AbortSignal; logger?: Logger },
): Promise<void> {
  const listed = await lister.listModels(opts.signal).catch((e: unknown) => {
    opts.logger?.warn(`LoRA adapters not checked: could not list models: ${toInferenceError(e).message}`);
    return undefined;
  });
  if (!listed) return;
  const names = new Set(listed.map((m) => m.name));
  const unknown = lora.filter((a) => !names.has(a.name)).map((a) => `"${a.name}"`);
  if (unknown.length)
    throw new BenchSpecError(
      `lora: ${safeUrl(url)} does not serve the adapter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (it lists ${[...names].join(', ') || 'no models'}); vLLM serves adapters given with --lora-modules NAME=PATH or loaded with POST /v1/load_lora_adapter`,
    );
}

/**
 * Finds out what is at the URL (server kind and version through the shared
 * detection), picks the API and model the spec leaves open, and gathers the
 * server facts for the result. Throws an InferenceError when the server cannot
 * be reached and a BenchSpecError when the choice cannot be made.
 */
export async function resolveServer(
  spec: NormalizedSpec,
  opts: { apiKey?: string; signal?: AbortSignal; logger?: Logger } = {},
): Promise<ResolvedServer> {
  if (/^grpcs?:\/\//i.test(spec.url.trim())) return resolveGrpcServer(spec, opts);
  const d = await detectServer(spec.url, {
    apiKey: opts.apiKey,
    signal: opts.signal,
    models: spec.model ? [spec.model] : undefined,
  });
  if (d.outcome === 'unreachable' || d.outcome === 'auth-failed') throw unreachable(d, spec.url);
  // Reached, but nothing it said could be read: a server fault, whatever API is chosen.
  if (d.outcome === 'unrecognized' && d.error?.kind === 'malformed')
    throw new InferenceError('malformed', d.evidence, { url: spec.url });
  const kind = d.kind ?? undefined;
  const api = spec.api ?? (kind ? defaultApi(spec.group, kind) : undefined);
  if (!api) {
    const what = kind ? `a ${kindLabels[kind]} server` : 'a server we do not recognize';
    throw new BenchSpecError(
      `${safeUrl(spec.url)} is ${what}: choose its ${spec.group} API with --api (${kindApis(spec.group).join(', ')})`,
    );
  }
  if (spec.text.lora && api !== 'openai-chat' && api !== 'openai-completions')
    throw new BenchSpecError(
      `lora: adapters are named in the OpenAI model field; ${safeUrl(spec.url)} is benchmarked through ${api}: use --api openai-chat or openai-completions`,
    );
  const adapter = kind
    ? createAdapter(kind, {
        id: 'bench',
        name: spec.url,
        url: d.baseUrl ?? spec.url,
        apiKey: opts.apiKey,
        models: spec.model ? [spec.model] : undefined,
      })
    : undefined;
  // An unrecognized server with an API given and no model: ask the API's own model list (its answer, good or bad, decides).
  const listerKind = adapter || spec.model || modelless.has(api) ? undefined : kindSpeaking(spec.group, api);
  const lister =
    adapter ??
    (listerKind
      ? createAdapter(listerKind, { id: 'bench', name: spec.url, url: d.baseUrl ?? spec.url, apiKey: opts.apiKey })
      : undefined);
  let model = spec.model;
  let metadata: ModelMetadata | undefined;
  if (!model && lister)
    ({ name: model, metadata } = (await chooseModel(lister, spec.group, opts.signal, opts.logger)) ?? {});
  if (!model) {
    if (!modelless.has(api))
      throw new BenchSpecError(`No model given and none could be listed at ${safeUrl(spec.url)}: pass --model`);
    model = api;
  }
  if (spec.text.lora && lister) await checkAdapters(spec.text.lora, lister, spec.url, opts);
  const facts: ServerFacts = { url: safeUrl(spec.url), kind, version: d.version, model };
  let metrics: ResolvedServer['metrics'] = {
    reason: 'The server kind was not recognized: give its Prometheus URL with --server-metrics URL.',
  };
  if (adapter) {
    const m = await adapter.metrics(opts.signal).catch(() => undefined);
    const endpoint = adapter.metricsEndpoint?.() ?? {};
    // A 404 or a kind without metrics says "none here"; an endpoint that did not answer yet may still come up.
    metrics = m?.available ? { url: m.url ?? endpoint.url } : m ? { reason: m.reason } : endpoint;
    const g = m?.available ? m.gauges : undefined;
    if (g && (g.gpuUtilization !== undefined || g.gpuMemoryTotalBytes !== undefined)) {
      facts.gpu = {
        utilization: g.gpuUtilization,
        memoryUsedBytes: g.gpuMemoryUsedBytes,
        memoryTotalBytes: g.gpuMemoryTotalBytes,
      };
    }
  }
  const out: ResolvedServer = { api, model, kind, facts, metrics };
  if (kind === 'rayserve' && adapter) {
    const route = await applicationRoute(adapter, model, opts);
    if (route) out.routePrefix = facts.route = route;
  }
  if (metadata) out.metadata = metadata;
  else if (adapter && spec.group !== 'text-generation') {
    out.metadata = await adapter.modelMetadata(model, opts.signal).catch((e: unknown) => {
      opts.logger?.debug(`No metadata for ${model}: ${(e as Error).message}`);
      return undefined;
    });
  }
  return out;
}

/**
 * A server given only by its gRPC address: identity and the model's tensors
 * come from ServerMetadata and ModelMetadata; the model must be named (OIP
 * has no portable model listing).
 */
async function resolveGrpcServer(
  spec: NormalizedSpec,
  opts: { apiKey?: string; signal?: AbortSignal },
): Promise<ResolvedServer> {
  if (spec.api !== undefined && spec.api !== 'kserve-grpc')
    throw new BenchSpecError(`A grpc:// URL only serves --api kserve-grpc, not ${spec.api}`);
  if (spec.group !== 'image-classification')
    throw new BenchSpecError('A grpc:// URL is for image-classification with --api kserve-grpc');
  if (!spec.model)
    throw new BenchSpecError('Name the model with --model: a gRPC endpoint cannot be asked for its model list');
  const client = createInferenceClient(spec.url, {
    signal: opts.signal,
    deadlineMs: 10_000,
    metadata: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : undefined,
  });
  try {
    const server = await client.serverMetadata();
    const meta = await client.modelMetadata({ name: spec.model, version: '' });
    const metadata: ModelMetadata = {
      name: meta.name,
      platform: meta.platform,
      versions: meta.versions,
      inputs: meta.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape.map(Number) })),
      outputs: meta.outputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape.map(Number) })),
      properties: {},
    };
    return {
      api: 'kserve-grpc',
      model: spec.model,
      facts: { url: spec.url, kind: server.name || undefined, version: server.version || undefined, model: spec.model },
      metadata,
      metrics: {
        reason: 'A gRPC endpoint has no Prometheus path of its own: give the metrics URL with --server-metrics URL.',
      },
    };
  } finally {
    client.close();
  }
}
