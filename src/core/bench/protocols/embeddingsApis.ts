/**
 * Embedding APIs (wire reference §7, §9, §10, §1): one request carries a batch
 * of input texts; answers are checked for shape and usage is read from the
 * tail when the API reports it.
 */
import type { EmbeddingsApi } from '../spec';
import { checkJsonBody, jsonBody, tailNumber, type ApiProtocol } from './apiProtocol';

export interface EmbeddingsItem {
  inputs: string[];
  /** KServe v2: the BYTES input tensor's name and its shape with the batch dimension filled in. */
  inputName?: string;
  shape?: number[];
}

/** `{model, input: [...]}` in, a JSON object out with the input token count under `usageKey`. */
function modelInputApi(path: string, usageKey: string): ApiProtocol<EmbeddingsItem> {
  return {
    framing: 'none',
    request: (item, ctx) => ({
      path,
      contentType: 'application/json',
      body: jsonBody({ model: ctx.model, input: item.inputs }),
    }),
    body(body, st) {
      checkJsonBody(body, st, '{');
      st.usageIn = tailNumber(body, usageKey);
    },
  };
}

/** TEI `/embed` answers a bare array of vectors and reports no usage. */
const tei: ApiProtocol<EmbeddingsItem> = {
  framing: 'none',
  request: (item) => ({ path: '/embed', contentType: 'application/json', body: jsonBody({ inputs: item.inputs }) }),
  body: (body, st) => checkJsonBody(body, st, '['),
};

/** KServe v2 / Triton: the texts as one BYTES tensor (JSON elements are strings, §1). */
const kserve: ApiProtocol<EmbeddingsItem> = {
  framing: 'none',
  request: (item, ctx) => ({
    path: `/v2/models/${encodeURIComponent(ctx.model)}/infer`,
    contentType: 'application/json',
    body: jsonBody({
      inputs: [
        {
          name: item.inputName ?? 'text',
          shape: item.shape ?? [item.inputs.length],
          datatype: 'BYTES',
          data: item.inputs,
        },
      ],
    }),
  }),
  body: (body, st) => checkJsonBody(body, st, '{'),
};

export const embeddingsApis: Record<EmbeddingsApi, ApiProtocol<EmbeddingsItem>> = {
  openai: modelInputApi('/v1/embeddings', 'prompt_tokens'),
  tei,
  ollama: modelInputApi('/api/embed', 'prompt_eval_count'),
  kserve,
};
