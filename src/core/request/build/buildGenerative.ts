/**
 * Wire requests of the text templates: OpenAI chat / completions /
 * embeddings, TGI generate and generate_stream, Ollama generate / chat /
 * embed, TEI embed (wire reference §7–§10). Streaming asks the server for its
 * usage numbers (OpenAI `include_usage`, TGI `details`) so the panel can put
 * the server's token counts next to ours.
 */
import { joinUrl } from '../../servers/serverHttp';
import type { GenerationParams, RequestDraft, RequestTarget } from '../../../shared/request';
import { bearer, type Expect, type HttpWire } from './wire';

const json = { 'content-type': 'application/json' };

/** OpenAI paths: under `/openai/v1` on KServe (§4), directly under a base that already ends in `/v1`. */
export function openAiPath(target: Pick<RequestTarget, 'kind' | 'baseUrl'>, rest: string): string {
  if (/\/v1$/.test(new URL(target.baseUrl).pathname)) return rest;
  return target.kind === 'kserve' ? `/openai/v1${rest}` : `/v1${rest}`;
}

function openAiSampling(p: GenerationParams | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p?.temperature !== undefined) out.temperature = p.temperature;
  if (p?.maxTokens !== undefined) out.max_tokens = p.maxTokens;
  if (p?.stop?.length) out.stop = p.stop;
  out.stream = !!p?.stream;
  // vLLM refuses stream_options without stream (§7).
  if (p?.stream) out.stream_options = { include_usage: true };
  return out;
}

function ollamaOptions(p: GenerationParams | undefined): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  if (p?.temperature !== undefined) o.temperature = p.temperature;
  if (p?.maxTokens !== undefined) o.num_predict = p.maxTokens;
  if (p?.stop?.length) o.stop = p.stop;
  return Object.keys(o).length ? o : undefined;
}

function tgiParameters(p: GenerationParams | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = { details: true };
  if (p?.maxTokens !== undefined) o.max_new_tokens = p.maxTokens;
  // TGI rejects temperature 0 (it must be strictly positive): greedy is do_sample false.
  if (p?.temperature !== undefined && p.temperature > 0) {
    o.temperature = p.temperature;
    o.do_sample = true;
  }
  if (p?.stop?.length) o.stop = p.stop;
  return o;
}

/** Path, body and expected answer of a text template, or undefined for other templates. */
function textRequest(
  d: RequestDraft,
  target: RequestTarget,
): { path: string; body: unknown; expect: Expect } | undefined {
  const streamed = !!d.params?.stream;
  const inputs = d.inputs ?? [];
  switch (d.template) {
    case 'openai-chat':
      return {
        path: openAiPath(target, '/chat/completions'),
        body: { model: d.model, messages: d.messages ?? [], ...openAiSampling(d.params) },
        expect: streamed ? 'sse' : 'json',
      };
    case 'openai-completions':
      return {
        path: openAiPath(target, '/completions'),
        body: { model: d.model, prompt: d.prompt ?? '', ...openAiSampling(d.params) },
        expect: streamed ? 'sse' : 'json',
      };
    case 'openai-embeddings':
      return {
        path: openAiPath(target, '/embeddings'),
        body: { model: d.model, input: inputs.length === 1 ? inputs[0] : inputs },
        expect: 'json',
      };
    case 'tgi-generate':
      return {
        path: '/generate',
        body: { inputs: d.prompt ?? '', parameters: tgiParameters(d.params) },
        expect: 'json',
      };
    case 'tgi-generate-stream':
      return {
        path: '/generate_stream',
        body: { inputs: d.prompt ?? '', parameters: tgiParameters(d.params) },
        expect: 'sse',
      };
    case 'ollama-generate':
      return {
        path: '/api/generate',
        body: { model: d.model, prompt: d.prompt ?? '', stream: streamed, options: ollamaOptions(d.params) },
        expect: streamed ? 'ndjson' : 'json',
      };
    case 'ollama-chat':
      return {
        path: '/api/chat',
        body: { model: d.model, messages: d.messages ?? [], stream: streamed, options: ollamaOptions(d.params) },
        expect: streamed ? 'ndjson' : 'json',
      };
    case 'ollama-embed':
      return {
        path: '/api/embed',
        body: { model: d.model, input: inputs.length === 1 ? inputs[0] : inputs },
        expect: 'json',
      };
    case 'tei-embed':
      return { path: '/embed', body: { inputs: inputs.length === 1 ? inputs[0] : inputs }, expect: 'json' };
    default:
      return undefined;
  }
}

export function isTextTemplate(d: RequestDraft): boolean {
  return textRequest(d, { kind: 'openai', baseUrl: 'http://x', serverId: '', serverName: '' }) !== undefined;
}

export function buildTextRequest(d: RequestDraft, target: RequestTarget, hasApiKey: boolean): HttpWire {
  const r = textRequest(d, target);
  if (!r) throw new Error(`Template ${d.template} is not a text template`);
  const accept =
    r.expect === 'sse' ? 'text/event-stream' : r.expect === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  return {
    transport: 'http',
    template: d.template,
    method: 'POST',
    url: joinUrl(target.baseUrl, r.path),
    headers: { ...json, accept, ...bearer(hasApiKey) },
    body: JSON.stringify(r.body, null, 2),
    expect: r.expect,
  };
}
