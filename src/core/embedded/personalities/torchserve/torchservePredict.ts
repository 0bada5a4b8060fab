/**
 * TorchServe handlers for the simulated models: the image classifier answers
 * the top-5 `{label: probability}` (as TorchServe's image_classifier does),
 * the embedding model a vector per text, and the text generator streams one
 * HTTP chunk per token with no delimiter (wire reference §5, streaming).
 */
import type { ServerResponse } from 'node:http';
import { IMAGE_ELEMENTS, type ImageModel } from '../../models/imageModel';
import type { EmbeddingModel } from '../../models/embeddingModel';
import type { SimulatedModel } from '../../models/registry';
import type { TextModel } from '../../models/textModel';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE } from '../../requestError';
import { flattenData } from '../../../kserve/jsonTensor';
import { send } from '../../http/respond';
import { clientGone, runTextJob } from '../../textJob';
import { badInput, dataField, type TsInput } from './torchserveInput';
import type { TorchServeMetrics } from './torchserveMetrics';
import { gson, nettyHeaders, predictionFailed, pyJsonDumps, TorchServeError } from './torchserveWire';

const TOP_K = 5;

/** The encodings PIL opens, by their magic bytes: PNG, JPEG, GIF, BMP, WebP, TIFF. */
export function isImage(b: Buffer): boolean {
  const ascii = (at: number, s: string) => b.subarray(at, at + s.length).toString('latin1') === s;
  return (
    ascii(0, '\x89PNG\r\n\x1a\n') ||
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
    ascii(0, 'GIF87a') ||
    ascii(0, 'GIF89a') ||
    ascii(0, 'BM') ||
    (ascii(0, 'RIFF') && ascii(8, 'WEBP')) ||
    ascii(0, 'II*\0') ||
    ascii(0, 'MM\0*')
  );
}
const DEFAULT_MAX_TOKENS = 32;

function imageItems(model: ImageModel, input: TsInput): { items: number; run(): unknown } {
  const data = input.kind === 'json' ? dataField(input.value) : input.bytes;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : data;
    if (!bytes.length) throw badInput('Invalid input: the request body is empty (send image bytes)');
    // The image handler opens the bytes with PIL: anything else fails in the worker, which TorchServe reports as
    // 503 "Prediction failed" (seen with TorchServe 0.12.0).
    if (!isImage(bytes)) throw predictionFailed();
    const top = () => Object.fromEntries(model.topK(model.classifyImage(bytes), TOP_K).map((t) => [t.label, t.score]));
    return { items: 1, run: top };
  }
  const flat = flattenData(data);
  if (!flat.length || flat.length % IMAGE_ELEMENTS || !flat.every((v) => typeof v === 'number')) {
    throw badInput(
      `Invalid input: "data" must be base64 image bytes or FP32 pixels of shape [3,224,224] or [N,3,224,224] (got ${flat.length} values)`,
    );
  }
  const n = flat.length / IMAGE_ELEMENTS;
  return {
    items: n,
    run: () => {
      const logits = model.classifyTensor(Float32Array.from(flat as number[]), n);
      const rows = Array.from({ length: n }, (_, i) =>
        Object.fromEntries(model.topK(logits.subarray(i * 1000, (i + 1) * 1000), TOP_K).map((t) => [t.label, t.score])),
      );
      return n === 1 ? rows[0] : rows;
    },
  };
}

function embeddingItems(model: EmbeddingModel, input: TsInput): { items: number; run(): unknown } {
  const data = input.kind === 'json' ? dataField(input.value) : input.bytes.toString('utf8');
  const texts =
    typeof data === 'string'
      ? [data]
      : Array.isArray(data) && data.every((s) => typeof s === 'string')
        ? (data as string[])
        : undefined;
  if (!texts?.length) throw badInput('Invalid input: send text, a JSON string, or {"data": "text" | ["text", ...]}');
  const single = typeof data === 'string';
  return { items: texts.length, run: () => (single ? model.embed(texts[0]) : texts.map((t) => model.embed(t))) };
}

async function batchPredict(
  ctx: EmbeddedContext,
  res: ServerResponse,
  model: ImageModel | EmbeddingModel,
  input: TsInput,
  metrics: TorchServeMetrics,
  startedAt: number,
) {
  const job = model.kind === 'image-classification' ? imageItems(model, input) : embeddingItems(model, input);
  const plan = ctx.faults.plan(model.name, false);
  if (plan.fail) throw new TorchServeError(500, 'InternalServerException', INJECTED_FAULT_MESSAGE);
  const t = await ctx.engine.runBatch(model, job.items, { extraDelayMs: plan.extraDelayMs, signal: clientGone(res) });
  const body = pyJsonDumps(job.run());
  metrics.success(model.name, ctx.clock.now() - startedAt, t.queueMs);
  // The handler sets no Content-Type, so TorchServe sends none.
  send(res, 200, body, nettyHeaders(res));
}

function promptOf(input: TsInput): { prompt: string; maxTokens: number } {
  const v = input.kind === 'json' ? input.value : input.bytes.toString('utf8');
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const prompt = dataField(v);
  if (typeof prompt !== 'string')
    throw badInput('Invalid input: send the prompt as text or {"prompt": "...", "max_new_tokens": N}');
  const max = o.max_new_tokens ?? o.max_tokens;
  const maxTokens = typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_TOKENS;
  return { prompt, maxTokens };
}

/** One chunk per token; an injected error ends the stream with an error body chunk, a disconnect cuts it. */
async function streamPredict(
  ctx: EmbeddedContext,
  res: ServerResponse,
  model: TextModel,
  input: TsInput,
  metrics: TorchServeMetrics,
  startedAt: number,
) {
  const { prompt, maxTokens } = promptOf(input);
  const plan = ctx.faults.plan(model.name, true);
  const r = await runTextJob(ctx, { model, prompt, maxTokens, signal: clientGone(res) }, plan, (_i, piece) => {
    if (!res.headersSent) res.writeHead(200, nettyHeaders(res));
    res.write(piece);
  });
  if (r.end === 'disconnect') return void res.destroy();
  if (r.end === 'cancelled') return;
  if (!res.headersSent) res.writeHead(200, nettyHeaders(res));
  if (r.end === 'failed')
    res.write(gson({ code: 500, type: 'InternalServerException', message: INJECTED_FAULT_MESSAGE }));
  res.end();
  metrics.success(model.name, ctx.clock.now() - startedAt, r.timings.queueMs, undefined, true);
}

export function predict(
  ctx: EmbeddedContext,
  res: ServerResponse,
  model: SimulatedModel,
  input: TsInput,
  metrics: TorchServeMetrics,
  startedAt: number,
): Promise<void> {
  if (model.kind === 'text-generation') return streamPredict(ctx, res, model, input, metrics, startedAt);
  return batchPredict(ctx, res, model, input, metrics, startedAt);
}
