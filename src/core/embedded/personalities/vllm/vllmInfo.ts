/** vLLM `/v1/models` (text and embedding models) and `/tokenize`. */
import type { RouteHandler } from '../../http/router';
import type { SimulatedModel } from '../../models/registry';
import { encode, tokenPieces } from '../../../text/tokenizer';
import { resolveTextModel } from '../../openai/textRequest';
import { BodyChecker } from '../../openai/validation';
import type { EmbeddedContext } from '../../personality';
import { readJsonObject, sendVllmFailure, sendVllmJson } from './vllmWire';

function contextLength(m: SimulatedModel): number {
  return m.kind === 'text-generation' ? m.maxModelLen : m.kind === 'embedding' ? m.maxInputTokens : 0;
}

/** A model card's permission entry (vLLM's ModelPermission defaults). */
function permission(name: string, created: number) {
  return {
    id: `modelperm-${name.replace(/[^A-Za-z0-9]/g, '')}`,
    object: 'model_permission',
    created,
    allow_create_engine: false,
    allow_sampling: true,
    allow_logprobs: true,
    allow_search_indices: false,
    allow_view: true,
    allow_fine_tuning: false,
    organization: '*',
    group: null,
    is_blocking: false,
  };
}

export function vllmModelList(ctx: EmbeddedContext) {
  const created = Math.floor(ctx.startedAtEpochMs / 1000);
  const data: Array<{
    id: string;
    object: string;
    created: number;
    owned_by: string;
    root: string;
    parent: string | null;
    max_model_len: number | null;
    permission: Array<ReturnType<typeof permission>>;
  }> = ctx.models
    .list()
    .filter((m) => m.kind !== 'image-classification')
    .map((m) => ({
      id: m.name,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: m.name,
      parent: null,
      max_model_len: contextLength(m),
      permission: [permission(m.name, created)],
    }));
  // LoRA adapters after the base models, as vLLM's show_available_models appends them: root = path, parent = base.
  for (const m of ctx.models.ofKind('text-generation'))
    for (const a of m.lora)
      data.push({
        id: a.name,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: a.path,
        parent: m.name,
        max_model_len: null,
        permission: [permission(a.name, created)],
      });
  return { object: 'list', data };
}

/** `POST /tokenize {model?, prompt}` or `{model?, messages}` → `{count, max_model_len, tokens, token_strs}`. */
export function vllmTokenizeHandler(ctx: EmbeddedContext): RouteHandler {
  return async (req, res) => {
    try {
      const body = await readJsonObject(req);
      const ck = new BodyChecker(body);
      const name = ck.opt<string>('model', 'string');
      const prompt = ck.opt<string>('prompt', 'string');
      const messages = ck.opt<Array<{ role: string; content: string }>>('messages', 'list');
      const withStrs = ck.opt<boolean>('return_token_strs', 'bool') ?? false;
      if (prompt === undefined && messages === undefined)
        ck.add({ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required' });
      ck.done();
      const model = resolveTextModel(ctx.models, name, 'Tokenizer');
      const text =
        prompt ??
        model.renderChat(
          (messages ?? []).map((m) => ({ role: String(m?.role ?? 'user'), content: String(m?.content ?? '') })),
        );
      const tokens = encode(text);
      sendVllmJson(res, 200, {
        count: tokens.length,
        max_model_len: model.maxModelLen,
        tokens,
        token_strs: withStrs ? tokenPieces(text) : null,
      });
    } catch (e) {
      sendVllmFailure(res, e);
    }
  };
}
