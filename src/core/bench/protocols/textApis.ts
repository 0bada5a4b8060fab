/**
 * Streaming text-generation APIs (wire reference §3, §7, §8, §9). Each event
 * becomes EV_* flags: EV_CHOICE when it carries the generation field at all
 * (OpenAI `choices` non-empty — even a role-only or finish-only chunk —, a TGI
 * token, an Ollama line, a Triton response), EV_TEXT when that text is
 * non-empty, EV_REASON when a chat delta carries reasoning text, EV_USAGE when
 * it reports token counts, EV_DONE for the end marker.
 */
import type { TextApi } from '../spec';
import type { TextItem } from '../workload/textWorkload';
import { EV_CHOICE, EV_DONE, EV_ERROR, EV_REASON, EV_TEXT, EV_USAGE } from '../record';
import { jsonBody, num, parsePayload, type ApiProtocol, type StreamState } from './apiProtocol';

function usage(j: Record<string, unknown>, st: StreamState): number {
  const u = j.usage as Record<string, unknown> | null | undefined;
  if (!u || typeof u !== 'object') return 0;
  st.usageIn = num(u.prompt_tokens) ?? st.usageIn;
  st.usageOut = num(u.completion_tokens) ?? st.usageOut;
  const details = u.completion_tokens_details as Record<string, unknown> | null | undefined;
  if (details && typeof details === 'object') st.usageReasoning = num(details.reasoning_tokens) ?? st.usageReasoning;
  const d = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  if (d && typeof d === 'object') st.usageCached = num(d.cached_tokens) ?? st.usageCached;
  return EV_USAGE;
}

/** Reasoning text of a chat delta: vLLM's `reasoning_content`, or `reasoning` (newer vLLM, OpenRouter). */
function reasoningOf(choice: Record<string, unknown>): unknown {
  const d = choice.delta as Record<string, unknown> | undefined;
  return d ? (d.reasoning_content ?? d.reasoning) : undefined;
}

function openAiEvent(
  textOf: (choice: Record<string, unknown>) => unknown,
  reasoning?: (choice: Record<string, unknown>) => unknown,
) {
  return (payload: string, st: StreamState): number => {
    if (payload.trim() === '[DONE]') return EV_DONE;
    const j = parsePayload(payload, st);
    if (!j) return EV_ERROR;
    let flags = usage(j, st);
    const choices = j.choices;
    if (Array.isArray(choices) && choices.length) {
      flags |= EV_CHOICE;
      const choice = (choices[0] ?? {}) as Record<string, unknown>;
      const text = textOf(choice);
      if (typeof text === 'string' && text) {
        flags |= EV_TEXT;
        st.text += text;
      }
      if (reasoning) {
        const r = reasoning(choice);
        if (typeof r === 'string' && r) {
          flags |= EV_REASON;
          st.reasoning = (st.reasoning ?? '') + r;
        }
      }
    }
    return flags;
  };
}

const openAiCompletions: ApiProtocol<TextItem> = {
  framing: 'sse',
  request: (item, ctx) => ({
    path: '/v1/completions',
    contentType: 'application/json',
    body: jsonBody({
      model: ctx.model,
      prompt: item.prompt,
      max_tokens: item.outputTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(ctx.ignoreEos ? { ignore_eos: true } : {}),
    }),
  }),
  event: openAiEvent((c) => c.text),
};

const openAiChat: ApiProtocol<TextItem> = {
  framing: 'sse',
  request: (item, ctx) => ({
    path: '/v1/chat/completions',
    contentType: 'application/json',
    body: jsonBody({
      model: ctx.model,
      messages: item.messages ?? [{ role: 'user', content: item.prompt }],
      max_completion_tokens: item.outputTokens,
      max_tokens: item.outputTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(ctx.ignoreEos ? { ignore_eos: true } : {}),
    }),
  }),
  event: openAiEvent((c) => (c.delta as Record<string, unknown> | undefined)?.content, reasoningOf),
};

/** TGI `/generate_stream`: token events, the last one with `generated_text` and `details`. No [DONE]. */
const tgi: ApiProtocol<TextItem> = {
  framing: 'sse',
  request: (item) => ({
    path: '/generate_stream',
    contentType: 'application/json',
    // TGI has no ignore_eos; `details` makes the final event carry the token counts.
    body: jsonBody({ inputs: item.prompt, parameters: { max_new_tokens: item.outputTokens, details: true } }),
  }),
  event(payload, st) {
    const j = parsePayload(payload, st);
    if (!j) return EV_ERROR;
    let flags = EV_CHOICE;
    const token = j.token as Record<string, unknown> | undefined;
    if (token && typeof token.text === 'string' && token.text && token.special !== true) {
      flags |= EV_TEXT;
      st.text += token.text;
    }
    if (typeof j.generated_text === 'string') flags |= EV_DONE;
    const details = j.details as Record<string, unknown> | null | undefined;
    if (details && typeof details === 'object') {
      st.usageOut = num(details.generated_tokens) ?? st.usageOut;
      st.usageIn = num(details.input_length) ?? st.usageIn;
      flags |= EV_USAGE;
    }
    return flags;
  },
};

/** Ollama `/api/generate`: NDJSON lines, the last with `done: true` and the eval counts. */
const ollama: ApiProtocol<TextItem> = {
  framing: 'ndjson',
  request: (item, ctx) => ({
    path: '/api/generate',
    contentType: 'application/json',
    body: jsonBody({
      model: ctx.model,
      prompt: item.prompt,
      stream: true,
      options: { num_predict: item.outputTokens },
    }),
  }),
  event(payload, st) {
    const j = parsePayload(payload, st);
    if (!j) return EV_ERROR;
    let flags = 0;
    if (typeof j.response === 'string') {
      flags |= EV_CHOICE;
      if (j.response) {
        flags |= EV_TEXT;
        st.text += j.response;
      }
    }
    if (j.done === true) {
      flags |= EV_DONE;
      st.usageIn = num(j.prompt_eval_count) ?? st.usageIn;
      st.usageOut = num(j.eval_count) ?? st.usageOut;
      if (st.usageOut !== undefined) flags |= EV_USAGE;
    }
    return flags;
  },
};

/** Triton `generate_stream`: SSE of `{"text_output": …}`, ended by the connection closing. */
const tritonGenerate: ApiProtocol<TextItem> = {
  framing: 'sse',
  request: (item, ctx) => ({
    path: `/v2/models/${encodeURIComponent(ctx.model)}/generate_stream`,
    contentType: 'application/json',
    body: jsonBody({
      text_input: item.prompt,
      max_tokens: item.outputTokens,
      stream: true,
      ...(ctx.ignoreEos ? { ignore_eos: true } : {}),
    }),
  }),
  event(payload, st) {
    const j = parsePayload(payload, st);
    if (!j) return EV_ERROR;
    const text = j.text_output;
    if (typeof text === 'string' && text) {
      st.text += text;
      return EV_CHOICE | EV_TEXT;
    }
    return EV_CHOICE;
  },
};

export const textApis: Record<TextApi, ApiProtocol<TextItem>> = {
  'openai-completions': openAiCompletions,
  'openai-chat': openAiChat,
  tgi,
  ollama,
  'triton-generate': tritonGenerate,
};
