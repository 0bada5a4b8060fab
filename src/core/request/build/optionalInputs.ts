/**
 * Which inputs of a Triton model are optional. KServe v2 metadata does not
 * say; Triton's model configuration does (`input[].optional`). A model such
 * as an image classifier that takes either pixels or encoded bytes lists both
 * inputs and refuses a request that sends both, so the first draft leaves the
 * optional ones out.
 */
import { ServerHttp } from '../../servers/serverHttp';
import type { ModelMetadata } from '../../servers/types';

export async function tritonOptionalInputs(
  baseUrl: string,
  model: string,
  opts: { apiKey?: string; allowSelfSigned?: boolean; signal?: AbortSignal } = {},
): Promise<string[]> {
  const http = new ServerHttp(baseUrl, { apiKey: opts.apiKey, allowSelfSigned: opts.allowSelfSigned, timeoutMs: 3000 });
  const config = await http
    .optionalJson(`/v2/models/${encodeURIComponent(model)}/config`, opts.signal)
    .catch(() => undefined);
  const inputs = config?.input;
  if (!Array.isArray(inputs)) return [];
  return inputs
    .filter((i: { optional?: unknown; name?: unknown }) => i?.optional === true && typeof i.name === 'string')
    .map((i: { name: string }) => i.name);
}

/** The metadata without the optional inputs, when at least one required input remains. */
export function withoutOptionalInputs(meta: ModelMetadata, optional: readonly string[]): ModelMetadata {
  const required = meta.inputs.filter((t) => !optional.includes(t.name));
  if (!optional.length || !required.length) return meta;
  return { ...meta, inputs: required, properties: { ...meta.properties, optionalInputs: optional.join(', ') } };
}
