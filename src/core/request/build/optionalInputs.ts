/**
 * What a Triton model's configuration says that KServe v2 metadata does not:
 * which inputs are optional (`input[].optional`) and whether the model is
 * decoupled (`model_transaction_policy.decoupled`). A model such as an image
 * classifier that takes either pixels or encoded bytes lists both inputs and
 * refuses a request that sends both, so the first draft leaves the optional
 * ones out. A decoupled (streaming) model answers only gRPC ModelStreamInfer
 * (Triton refuses REST infer with 501 and ModelInfer with UNIMPLEMENTED), so
 * its first draft streams over gRPC.
 */
import { ServerHttp } from '../../servers/serverHttp';
import type { ModelMetadata } from '../../servers/types';

type ConfigOpts = { apiKey?: string; allowSelfSigned?: boolean; signal?: AbortSignal };

export interface TritonConfigFacts {
  optional: string[];
  decoupled: boolean;
}

export async function tritonConfigFacts(
  baseUrl: string,
  model: string,
  opts: ConfigOpts = {},
): Promise<TritonConfigFacts> {
  const http = new ServerHttp(baseUrl, { apiKey: opts.apiKey, allowSelfSigned: opts.allowSelfSigned, timeoutMs: 3000 });
  const config = await http
    .optionalJson(`/v2/models/${encodeURIComponent(model)}/config`, opts.signal)
    .catch(() => undefined);
  const inputs: unknown = config?.input;
  const optional = Array.isArray(inputs)
    ? inputs
        .filter((i: { optional?: unknown; name?: unknown }) => i?.optional === true && typeof i.name === 'string')
        .map((i: { name: string }) => i.name)
    : [];
  const policy = config?.model_transaction_policy as { decoupled?: unknown } | undefined;
  return { optional, decoupled: policy?.decoupled === true };
}

export async function tritonOptionalInputs(baseUrl: string, model: string, opts: ConfigOpts = {}): Promise<string[]> {
  return (await tritonConfigFacts(baseUrl, model, opts)).optional;
}

/** The metadata marked as a decoupled model's (`properties.decoupled`), which makes the first draft stream. */
export function withDecoupled(meta: ModelMetadata, decoupled: boolean): ModelMetadata {
  return decoupled ? { ...meta, properties: { ...meta.properties, decoupled: true } } : meta;
}

/** The metadata without the optional inputs, when at least one required input remains. */
export function withoutOptionalInputs(meta: ModelMetadata, optional: readonly string[]): ModelMetadata {
  const required = meta.inputs.filter((t) => !optional.includes(t.name));
  if (!optional.length || !required.length) return meta;
  return { ...meta, inputs: required, properties: { ...meta.properties, optionalInputs: optional.join(', ') } };
}
