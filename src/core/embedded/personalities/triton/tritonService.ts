/**
 * What Triton's HTTP and gRPC front ends share: the served models, model
 * lifecycle (repository index, explicit load/unload), readiness, statistics
 * and one inference path whose timing comes from the latency engine.
 */
import type { InferResponseMessage, RequestedOutput } from '../../../kserve/inferHttp';
import type { Params, Tensor } from '../../../kserve/tensor';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE } from '../../requestError';
import { TRITON_MODEL_VERSION } from './tritonConfig';
import {
  tritonEmbeddingModel,
  tritonImageModel,
  tritonWordsModel,
  WORDS_MODEL,
  type TritonBatchModel,
  type TritonDecoupledModel,
  type TritonModel,
} from './tritonModels';
import { TritonStats } from './tritonStats';
import {
  TRITON_EXTENSIONS,
  TRITON_VERSION,
  TritonError,
  toTritonError,
  unknownModel,
  type TritonCode,
} from './tritonWire';

/** Where a decoupled model is refused: the REST infer endpoint or unary ModelInfer. */
export type UnaryFront = 'HTTP end point' | 'ModelInfer RPC';

export interface TritonInferRequest {
  id?: string;
  parameters?: Params;
  inputs: Tensor[];
  outputs?: RequestedOutput[];
}

/** A computed response; call `complete` once it is encoded (or `fail` if encoding failed). */
export interface TritonInferResult {
  response: InferResponseMessage;
  complete(): void;
  fail(e: unknown): void;
}

/** Triton's classification extension: top-k of each row as "score:index[:label]" strings. */
function classify(t: Tensor, k: number, labels?: readonly string[]): Tensor {
  const [n, c] = [t.shape[0], t.values.length / Math.max(1, t.shape[0])];
  const values = t.values as Float32Array;
  const rows: Uint8Array[] = [];
  for (let r = 0; r < n; r++) {
    const row = values.subarray(r * c, (r + 1) * c);
    const order = Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b);
    for (const i of order.slice(0, k))
      rows.push(Buffer.from(`${row[i].toFixed(6)}:${i}${labels ? `:${labels[i]}` : ''}`));
  }
  return { name: t.name, datatype: 'BYTES', shape: [n, Math.min(k, c)], values: rows };
}

/** Triton's failure `reason` label per error code (any other: OTHER); validation refusals are not counted. */
const FAILURE_REASON: Partial<Record<TritonCode, 'CANCELED' | 'BACKEND' | 'REJECTED' | undefined>> = {
  CANCELLED: 'CANCELED',
  INTERNAL: 'BACKEND',
  UNAVAILABLE: 'REJECTED',
  INVALID_ARG: undefined,
};

export class TritonService {
  readonly version: string;
  readonly stats: TritonStats;
  /** `explicit` allows load/unload (Triton's --model-control-mode); default `none`, as Triton starts. */
  readonly explicitControl: boolean;
  private readonly models = new Map<string, TritonModel>();
  private readonly unloaded = new Set<string>();

  constructor(readonly ctx: EmbeddedContext) {
    this.version = typeof ctx.options.version === 'string' ? ctx.options.version : TRITON_VERSION;
    this.explicitControl = ctx.options.modelControlMode === 'explicit';
    const only = Array.isArray(ctx.options.models) ? new Set(ctx.options.models.map(String)) : undefined;
    for (const m of ctx.models.list()) {
      if (only && !only.has(m.name)) continue;
      if (m.kind === 'image-classification') this.models.set(m.name, tritonImageModel(m));
      else if (m.kind === 'embedding') this.models.set(m.name, tritonEmbeddingModel(m));
    }
    // The decoupled model, timed by the first text model's latency (none without one, or if the name is taken).
    const text = ctx.models.first('text-generation');
    if (text && !ctx.models.get(WORDS_MODEL) && (!only || only.has(WORDS_MODEL)))
      this.models.set(WORDS_MODEL, tritonWordsModel(text));
    this.stats = new TritonStats(ctx, () => [...this.models.values()]);
  }

  serverMetadata() {
    return { name: 'triton', version: this.version, extensions: TRITON_EXTENSIONS };
  }

  /** Server readiness: false during the fault injector's not-ready window. */
  ready(): boolean {
    return this.ctx.faults.isReady();
  }

  /** A loaded model; Triton's errors for unknown names, versions and unloaded models. */
  model(name: string, version?: string): TritonModel {
    const m = this.models.get(name);
    if (!m) throw unknownModel(name);
    if (this.unloaded.has(name))
      throw new TritonError('NOT_FOUND', `Request for unknown model: '${name}' has no available versions`);
    if (version && version !== TRITON_MODEL_VERSION)
      throw new TritonError('NOT_FOUND', `Request for unknown model: '${name}' version ${version} is not found`);
    return m;
  }

  /** A model answering one response per request; a decoupled one is refused as `front` refuses it (501 / UNIMPLEMENTED). */
  unaryModel(name: string, version: string | undefined, front: UnaryFront): TritonBatchModel {
    const m = this.model(name, version);
    if (m.decoupled)
      throw new TritonError('UNSUPPORTED', `${front} doesn't support models with decoupled transaction policy`);
    return m;
  }

  /** Whether a model version is ready; false, not an error, for an unknown one (HTTP 400, gRPC `ready: false`). */
  modelReady(name: string, version?: string): boolean {
    try {
      this.model(name, version);
    } catch {
      return false;
    }
    return this.ctx.faults.isReady(name);
  }

  /** `POST /v2/repository/index` and gRPC RepositoryIndex entries. */
  index(readyOnly: boolean) {
    const all = [...this.models.keys()].map((name) => {
      if (this.unloaded.has(name))
        return { name, version: TRITON_MODEL_VERSION, state: 'UNAVAILABLE', reason: 'unloaded' };
      return { name, version: TRITON_MODEL_VERSION, state: this.ctx.faults.isReady(name) ? 'READY' : 'LOADING' };
    });
    return readyOnly ? all.filter((e) => e.state === 'READY') : all;
  }

  setLoaded(name: string, loaded: boolean): void {
    if (!this.explicitControl)
      throw new TritonError('UNAVAILABLE', 'explicit model load / unload is not allowed if polling is enabled');
    if (!this.models.has(name))
      throw new TritonError(
        'INVALID_ARG',
        `failed to ${loaded ? 'load' : 'unload'} '${name}', failed to poll from model repository`,
      );
    if (loaded) this.unloaded.delete(name);
    else this.unloaded.add(name);
  }

  /** Statistics of one model, or of every loaded model when `name` is empty. */
  statistics(name?: string, version?: string) {
    if (name) return [this.stats.entry(this.model(name, version).name)];
    return [...this.models.keys()].filter((n) => !this.unloaded.has(n)).map((n) => this.stats.entry(n));
  }

  /**
   * Runs one inference: checks, injected faults, the engine's batch timing,
   * then the outputs the request asked for. `startedAt` and `inputMs` come
   * from the front end (request receipt and tensor decoding).
   */
  async infer(
    name: string,
    version: string | undefined,
    req: TritonInferRequest,
    o: { startedAt: number; inputMs: number; signal?: AbortSignal },
  ): Promise<TritonInferResult> {
    const model = this.unaryModel(name, version, 'ModelInfer RPC');
    const clock = this.ctx.clock;
    const failed = (e: unknown) => this.failed(name, e, o.startedAt);
    try {
      const { prepared, wanted, plan } = this.admit(model, req, (id) => model.prepare(req.inputs, id));
      const timings = await this.ctx.engine.runBatch(model.sim, prepared.items, {
        extraDelayMs: plan.extraDelayMs,
        signal: o.signal,
      });
      const outStart = clock.now();
      const all = prepared.compute();
      const outputs = wanted
        ? wanted.map((w) =>
            w.k
              ? classify(
                  all.find((t) => t.name === w.name)!,
                  w.k,
                  model.labels,
                )
              : all.find((t) => t.name === w.name)!,
          )
        : all;
      const response: InferResponseMessage = { model_name: name, model_version: TRITON_MODEL_VERSION, outputs };
      if (req.id) response.id = req.id;
      return {
        response,
        complete: () => {
          const end = clock.now();
          this.stats.success(name, {
            timings,
            items: prepared.items,
            inputMs: o.inputMs,
            outputMs: end - outStart,
            totalMs: end - o.startedAt,
          });
        },
        fail: (e) => void failed(e),
      };
    } catch (e) {
      throw failed(e);
    }
  }

  /**
   * Runs one request to a decoupled model: checks, injected faults, then one response per piece as the latency
   * engine makes it due (the prefill before the first, a decode step before each next), each with the outputs the
   * request asked for. Statistics count the request once, when its last response is out.
   */
  async inferStream(
    model: TritonDecoupledModel,
    req: TritonInferRequest,
    o: { startedAt: number; inputMs: number; signal?: AbortSignal },
    onResponse: (outputs: Tensor[]) => void,
  ): Promise<void> {
    const name = model.name;
    const clock = this.ctx.clock;
    try {
      const { prepared, wanted, plan } = this.admit(model, req, (id) => model.prepare(req.inputs, id));
      const gen = this.ctx.engine.generate(model.sim, {
        promptTokens: prepared.promptTokens,
        outputTokens: prepared.responses.length,
        extraDelayMs: plan.extraDelayMs,
        signal: o.signal,
      });
      let outputMs = 0;
      for await (const ev of gen) {
        const t0 = clock.now();
        const all = prepared.responses[ev.index];
        onResponse(wanted ? wanted.map((w) => all.find((t) => t.name === w.name)!) : all);
        outputMs += clock.now() - t0;
      }
      const t = await gen.done;
      if (t.cancelled) throw new TritonError('CANCELLED', 'request cancelled');
      this.stats.success(name, {
        timings: { queueMs: t.queueMs, computeMs: t.prefillMs + t.decodeMs, batchItems: 1, batchRequests: 1 },
        items: 1,
        inputMs: o.inputMs,
        outputMs,
        totalMs: clock.now() - o.startedAt,
      });
    } catch (e) {
      throw this.failed(name, e, o.startedAt);
    }
  }

  /** The checks every inference passes before any work: readiness, the request's tensors and outputs, faults. */
  private admit<P>(model: TritonModel, req: TritonInferRequest, prepare: (requestId: string) => P) {
    if (!this.ctx.faults.isReady(model.name)) throw new TritonError('UNAVAILABLE', NOT_READY_MESSAGE);
    const prepared = prepare(req.id || '<id_unknown>');
    const wanted = this.requestedOutputs(model, req.outputs);
    const plan = this.ctx.faults.plan(model.name, false);
    if (plan.fail) throw new TritonError('INTERNAL', INJECTED_FAULT_MESSAGE);
    return { prepared, wanted, plan };
  }

  /**
   * Counts a failed request under Triton's reason for its error; the error as a TritonError. A request refused by
   * validation (INVALID_ARG: its inputs, outputs or tensors) is not counted: Triton 2.51 counts none (seen on the real
   * one, REST and gRPC), only requests that failed in the backend, were rejected or were cancelled.
   */
  private failed(name: string, e: unknown, startedAt: number): TritonError {
    const err = toTritonError(e);
    const reason = err.code in FAILURE_REASON ? FAILURE_REASON[err.code] : 'OTHER';
    if (reason) this.stats.failure(name, reason, this.ctx.clock.now() - startedAt);
    return err;
  }

  private requestedOutputs(
    model: TritonModel,
    outputs: RequestedOutput[] | undefined,
  ): Array<{ name: string; k?: number }> | undefined {
    if (!outputs?.length) return undefined;
    return outputs.map((o) => {
      if (!model.outputs.some((s) => s.name === o.name))
        throw new TritonError('INVALID_ARG', `unexpected inference output '${o.name}' for model '${model.name}'`);
      const k = o.parameters?.classification;
      if (k === undefined) return { name: o.name };
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 1)
        throw new TritonError('INVALID_ARG', `output '${o.name}': classification must be a positive integer`);
      return { name: o.name, k };
    });
  }
}
