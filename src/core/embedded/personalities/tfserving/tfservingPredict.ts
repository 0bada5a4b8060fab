/**
 * TF Serving `:predict` (wire reference §6): row format (`instances`, one
 * element per example, answered as `predictions`) and columnar format
 * (`inputs`, answered as `outputs`). With one output the answer holds its
 * values directly; with several, an object per example (row) or per output
 * (columnar). Timing goes through the latency engine.
 */
import type { SimulatedModel } from '../../models/registry';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE } from '../../requestError';
import { runTextJob } from '../../textJob';
import {
  columnarExamples,
  imageOutputs,
  readExample,
  tfSignatures,
  type TfExample,
  type TfSignature,
} from './tfservingModels';
import { TfError } from './tfservingWire';

const TEXT_MAX_TOKENS = 32;

interface ParsedPredict {
  signature: TfSignature;
  examples: TfExample[];
  columnar: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parsePredict(model: SimulatedModel, body: unknown): ParsedPredict {
  if (!isObject(body)) throw new TfError('INVALID_ARGUMENT', 'JSON Value: is not an object');
  const sigName =
    typeof body.signature_name === 'string' && body.signature_name ? body.signature_name : 'serving_default';
  const signature = tfSignatures(model)[sigName];
  if (!signature)
    throw new TfError('INVALID_ARGUMENT', `Serving signature name: "${sigName}" not found in signature def`);
  const hasInstances = body.instances !== undefined;
  const hasInputs = body.inputs !== undefined;
  if (hasInstances === hasInputs) {
    throw new TfError(
      'INVALID_ARGUMENT',
      hasInstances
        ? "Request must have either 'instances' or 'inputs' key, not both"
        : "Missing 'inputs' or 'instances' key",
    );
  }
  const input = signature.inputs[0];
  // A named value ({"input": …}) or the bare value of the single input.
  const named = (v: unknown) => (isObject(v) && !('b64' in v) ? v[input.name] : v);
  if (hasInputs) {
    const v = named(body.inputs);
    if (v === undefined) throw new TfError('INVALID_ARGUMENT', `Missing input '${input.name}' in 'inputs'`);
    return { signature, examples: columnarExamples(input, v), columnar: true };
  }
  if (!Array.isArray(body.instances)) throw new TfError('INVALID_ARGUMENT', "'instances' must be a list");
  if (!body.instances.length) throw new TfError('INVALID_ARGUMENT', "'instances' is empty");
  return { signature, examples: body.instances.map((x, i) => readExample(input, named(x), i)), columnar: false };
}

async function compute(
  ctx: EmbeddedContext,
  model: SimulatedModel,
  examples: TfExample[],
  extraDelayMs: number,
  signal?: AbortSignal,
) {
  const text = (e: TfExample) =>
    typeof e === 'string' ? e : Buffer.from(e.buffer, e.byteOffset, e.byteLength).toString('utf8');
  if (model.kind === 'text-generation') {
    const plan = { fail: false, disconnectAfterTokens: undefined, extraDelayMs };
    const jobs = await Promise.all(
      examples.map((e) => runTextJob(ctx, { model, prompt: text(e), maxTokens: TEXT_MAX_TOKENS, signal }, plan)),
    );
    return jobs.map((j) => ({ text: j.output.text }));
  }
  await ctx.engine.runBatch(model, examples.length, { extraDelayMs, signal });
  if (model.kind === 'embedding') return examples.map((e) => ({ embedding: model.embed(text(e)) }));
  return examples.map((e) => imageOutputs(model, e));
}

/** Runs a parsed predict request; returns the response object (floats as typed arrays, for the writer). */
export async function runPredict(
  ctx: EmbeddedContext,
  model: SimulatedModel,
  p: ParsedPredict,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const plan = ctx.faults.plan(model.name, false);
  if (plan.fail) throw new TfError('INTERNAL', INJECTED_FAULT_MESSAGE);
  const rows = await compute(ctx, model, p.examples, plan.extraDelayMs, signal);
  const names = p.signature.outputs.map((o) => o.name);
  if (!p.columnar) return { predictions: names.length === 1 ? rows.map((r) => r[names[0] as keyof typeof r]) : rows };
  const column = (n: string) => rows.map((r) => (r as Record<string, unknown>)[n]);
  return { outputs: names.length === 1 ? column(names[0]) : Object.fromEntries(names.map((n) => [n, column(n)])) };
}
