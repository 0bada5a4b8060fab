/**
 * Which request templates each server kind offers, and the first draft of
 * each, filled from what the server said about the model (its tensors, its
 * capabilities). Every draft is ready to send as it is.
 */
import { elementCount } from '../../kserve/datatypes';
import type { ModelMetadata } from '../../servers/types';
import type { RequestDraft, RequestTarget, TemplateId } from '../../../shared/request';
import { tensorDraftsFor } from './tensorDefaults';
import { kinds } from '../../servers/registry';
import { isServerKind } from '../../servers/types';

export const templateLabels: Record<TemplateId, string> = {
  'openai-chat': 'OpenAI chat completions',
  'openai-completions': 'OpenAI completions',
  'openai-embeddings': 'OpenAI embeddings',
  'tgi-generate': 'TGI generate',
  'tgi-generate-stream': 'TGI generate_stream',
  'ollama-generate': 'Ollama generate',
  'ollama-chat': 'Ollama chat',
  'ollama-embed': 'Ollama embed',
  'tei-embed': 'TEI embed',
  'kserve-infer': 'KServe v2 infer',
  'torchserve-predict': 'TorchServe predictions',
  'tfserving-predict': 'TF Serving predict',
  websocket: 'WebSocket',
  raw: 'Raw HTTP',
};

/** The templates offered for a target: its kind's (the registry's descriptor), most specific first, then WebSocket and raw HTTP (any server may have those). */
export function templatesFor(target: Pick<RequestTarget, 'kind'>): TemplateId[] {
  return [
    ...(isServerKind(target.kind) ? kinds[target.kind].requestTemplates : ['openai-chat' as const]),
    'websocket',
    'raw',
  ];
}

/** The server's WebSocket endpoint when known, else its base URL with a ws scheme for the user to complete. */
function wsGuess(target: Partial<Pick<RequestTarget, 'wsUrl' | 'baseUrl'>>): string {
  if (target.wsUrl) return target.wsUrl;
  return target.baseUrl ? `${target.baseUrl.replace(/^http/i, 'ws')}/` : 'ws://127.0.0.1:8000/';
}

const embeddingName = /embed|bge|e5-|gte|minilm|mpnet|nomic/i;

/** The template a new panel starts with, from the kind and what the model says it does. */
export function defaultTemplate(target: Pick<RequestTarget, 'kind' | 'model'>, meta?: ModelMetadata): TemplateId {
  const offered = templatesFor(target);
  const caps = String(meta?.properties?.capabilities ?? '');
  const modelType = String(meta?.properties?.modelType ?? '');
  const looksEmbedding =
    (caps.includes('embedding') && !caps.includes('completion')) ||
    modelType.startsWith('embedding') ||
    embeddingName.test(target.model ?? '');
  if (looksEmbedding) {
    const emb = offered.find((t) => t.endsWith('embed') || t.endsWith('embeddings'));
    if (emb) return emb;
  }
  return offered[0];
}

const samplePrompt = 'Explain in two sentences what an inference server does.';

/** A complete first draft of `template` for the target's model. */
export function defaultDraft(
  template: TemplateId,
  target: Pick<RequestTarget, 'model' | 'kind'> & Partial<Pick<RequestTarget, 'wsUrl' | 'baseUrl' | 'grpcAddress'>>,
  meta?: ModelMetadata,
): RequestDraft {
  const model = target.model ?? meta?.name ?? '';
  const params = { temperature: 0.7, maxTokens: 128, stream: true };
  switch (template) {
    case 'openai-chat':
    case 'ollama-chat':
      return {
        template,
        model,
        messages: [
          { role: 'system', content: 'You are a concise assistant.' },
          { role: 'user', content: samplePrompt },
        ],
        params,
      };
    case 'openai-completions':
    case 'ollama-generate':
    case 'tgi-generate-stream':
      return { template, model, prompt: samplePrompt, params };
    case 'tgi-generate':
      return { template, model, prompt: samplePrompt, params: { ...params, stream: false } };
    case 'openai-embeddings':
    case 'ollama-embed':
    case 'tei-embed':
      return {
        template,
        model,
        inputs: ['The quick brown fox jumps over the lazy dog.', 'Inference servers turn models into APIs.'],
      };
    case 'kserve-infer':
      return {
        template,
        model,
        tensors: tensorDraftsFor(meta?.inputs ?? []),
        outputs: [],
        encoding: 'json',
        // A decoupled Triton model answers only ModelStreamInfer (REST infer is refused with 501).
        kserveTransport: meta?.properties?.decoupled === true && target.grpcAddress ? 'grpc-stream' : 'rest',
      };
    case 'torchserve-predict':
      return { template, model, bodyMode: 'json', body: JSON.stringify({ data: 'Inference Lab test input' }, null, 2) };
    case 'tfserving-predict':
      return { template, model, tfFormat: 'instances', body: tfBody(meta) };
    case 'websocket':
      return {
        template,
        model,
        path: wsGuess(target),
        wsMessages: [JSON.stringify({ model, prompt: samplePrompt, max_tokens: params.maxTokens })],
      };
    case 'raw':
      return { template, model, method: 'GET', path: '/', headers: [], body: '', framing: 'auto' };
  }
}

/** Flat values as nested row-major arrays of `shape`. */
function nest(values: unknown[], shape: number[]): unknown {
  if (shape.length <= 1) return values;
  const step = values.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(values.slice(i * step, (i + 1) * step), shape.slice(1)));
}

/** `{"instances": [...]}` with one example shaped like the model's inputs (zeros for large ones). */
function tfBody(meta?: ModelMetadata): string {
  const tensors = tensorDraftsFor(meta?.inputs ?? [], { dropBatch: true });
  if (!tensors.length) return JSON.stringify({ instances: [[1.0, 2.0, 5.0]] }, null, 2);
  const value = (t: (typeof tensors)[number]) =>
    nest(t.data === 'random' ? new Array(elementCount(t.shape)).fill(0) : (JSON.parse(t.data) as unknown[]), t.shape);
  const instance =
    tensors.length === 1 ? value(tensors[0]) : Object.fromEntries(tensors.map((t) => [t.name, value(t)]));
  const body = { instances: [instance] };
  // Pretty-printing 150 000 zeros one per line would make the editor crawl.
  return tensors.some((t) => t.data === 'random') ? JSON.stringify(body) : JSON.stringify(body, null, 2);
}
