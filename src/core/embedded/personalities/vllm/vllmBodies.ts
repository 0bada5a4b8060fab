/**
 * vLLM response bodies and stream chunks, written as JSON text directly.
 * Why not JSON.stringify of objects: for these many-null `model_dump()`
 * shapes it costs several times more than the rest of a tiny request, and
 * `bench:server` holds the personality to 0.7x of a bare node:http server.
 * Strings from the model or the client always go through JSON.stringify.
 */
const q = JSON.stringify;

export interface ChoiceOut {
  index: number;
  text: string;
  /** A reasoning model's reasoning text (chat), else undefined. */
  reasoning?: string;
  finishReason: string;
  /** The stop string that ended the output, else null. */
  stopReason: string | null;
}

export interface Usage {
  prompt: number;
  completion: number;
  /** Reasoning tokens (included in `completion`), for a reasoning model: vLLM then adds `completion_tokens_details`. */
  reasoning?: number;
  /** Prompt tokens found in the prefix cache; present when the server reports prompt token details. */
  cached?: number;
}

const details = (u: Usage) =>
  u.reasoning === undefined ? '' : `,"completion_tokens_details":{"reasoning_tokens":${u.reasoning}}`;

const stop = (s: string | null) => (s === null ? 'null' : q(s));
/** finish_reason as JSON: the two values a model gives are written without escaping. */
const reason = (r: string) => (r === 'length' ? '"length"' : r === 'stop' ? '"stop"' : q(r));
let lastModel = '';
let lastModelJson = '""';
/** The model name as JSON; the last one is kept, as nearly every request names the same model. */
function modelJson(model: string): string {
  if (model !== lastModel) {
    lastModelJson = q(model);
    lastModel = model;
  }
  return lastModelJson;
}

/** Joins choice objects; a single choice (nearly every request) skips the array. */
function joined(choices: ChoiceOut[], one: (c: ChoiceOut) => string): string {
  if (choices.length === 1) return one(choices[0]);
  return choices.map(one).join(',');
}

/** `usage` of a final (non-streaming) body, with `prompt_tokens_details`. */
function usageFull(u: Usage): string {
  return `{"prompt_tokens":${u.prompt},"total_tokens":${u.prompt + u.completion},"completion_tokens":${u.completion},"prompt_tokens_details":${cachedDetails(u) ?? 'null'}${details(u)}}`;
}

const cachedDetails = (u: Usage) => (u.cached === undefined ? undefined : `{"cached_tokens":${u.cached}}`);

/** `usage` of a stream chunk (no details key unless the server reports them, as `exclude_unset` drops it). */
export function usageChunk(u: Usage): string {
  const d = cachedDetails(u);
  return `{"prompt_tokens":${u.prompt},"total_tokens":${u.prompt + u.completion},"completion_tokens":${u.completion}${d ? `,"prompt_tokens_details":${d}` : ''}${details(u)}}`;
}

const chatChoice = (c: ChoiceOut) =>
  `{"index":${c.index},"message":{"role":"assistant","content":${q(c.text)},"refusal":null,"annotations":null,"audio":null,"function_call":null,"reasoning":${c.reasoning === undefined ? 'null' : q(c.reasoning)}},"logprobs":null,"finish_reason":${reason(c.finishReason)},"stop_reason":${stop(c.stopReason)},"token_ids":null}`;

const completionChoice = (c: ChoiceOut) =>
  `{"index":${c.index},"text":${q(c.text)},"logprobs":null,"finish_reason":${reason(c.finishReason)},"stop_reason":${stop(c.stopReason)},"token_ids":null,"prompt_logprobs":null,"prompt_token_ids":null}`;

/** `id` is ours (`<prefix>-<hex>`), so it is written without escaping; the model name comes from the client and is escaped. */
export function chatBody(id: string, created: number, model: string, choices: ChoiceOut[], u: Usage): string {
  return `{"id":"${id}","object":"chat.completion","created":${created},"model":${modelJson(model)},"choices":[${joined(choices, chatChoice)}],"service_tier":null,"system_fingerprint":null,"usage":${usageFull(u)},"prompt_logprobs":null,"prompt_token_ids":null,"kv_transfer_params":null}`;
}

export function completionBody(id: string, created: number, model: string, choices: ChoiceOut[], u: Usage): string {
  return `{"id":"${id}","object":"text_completion","created":${created},"model":${modelJson(model)},"choices":[${joined(choices, completionChoice)}],"service_tier":null,"system_fingerprint":null,"usage":${usageFull(u)},"kv_transfer_params":null}`;
}

/** Builds SSE chunks of one stream: `data: {…}\n\n` with only the keys vLLM sets. */
export class ChunkWriter {
  private readonly head: string;
  constructor(
    id: string,
    created: number,
    model: string,
    readonly chat: boolean,
  ) {
    this.head = `data: {"id":${q(id)},"object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},"model":${q(model)},"choices":[`;
  }

  private chunk(choice: string, usage: Usage | undefined): string {
    return `${this.head}${choice}]${usage ? `,"usage":${usageChunk(usage)}` : ''}}\n\n`;
  }

  /** Chat only: the first chunk of a choice, `delta: {role, content: ""}`. */
  role(index: number, usage?: Usage): string {
    return this.chunk(
      `{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}`,
      usage,
    );
  }

  /** One token; `reasoning`: a reasoning model's reasoning token (chat: `delta.reasoning`). */
  content(index: number, text: string, usage?: Usage, reasoning = false): string {
    return this.chat
      ? this.chunk(
          `{"index":${index},"delta":{"${reasoning ? 'reasoning' : 'content'}":${q(text)}},"logprobs":null,"finish_reason":null}`,
          usage,
        )
      : this.chunk(
          `{"index":${index},"text":${q(text)},"logprobs":null,"finish_reason":null,"stop_reason":null}`,
          usage,
        );
  }

  /** The chunk that ends a choice: an empty text (end of sequence, stop string), or its last token (length). */
  finish(
    index: number,
    finishReason: string,
    stopReason: string | null,
    usage?: Usage,
    text = '',
    reasoning = false,
  ): string {
    return this.chat
      ? this.chunk(
          `{"index":${index},"delta":{"${reasoning ? 'reasoning' : 'content'}":${q(text)}},"logprobs":null,"finish_reason":${q(finishReason)},"stop_reason":${stop(stopReason)}}`,
          usage,
        )
      : this.chunk(
          `{"index":${index},"text":${q(text)},"logprobs":null,"finish_reason":${q(finishReason)},"stop_reason":${stop(stopReason)}}`,
          usage,
        );
  }

  /** The `include_usage` chunk: `choices: []` and usage. */
  usage(u: Usage): string {
    return this.chunk('', u);
  }
}
