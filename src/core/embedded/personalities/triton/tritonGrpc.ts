/**
 * Triton's gRPC front end: `inference.GRPCInferenceService` on our own proto
 * plus `grpc.health.v1.Health`. Replies always use `raw_output_contents`
 * (as Triton does, whatever the request used); in ModelStreamInfer, requests
 * run concurrently, errors travel in-band as `error_message` (beside an
 * otherwise empty `infer_response` holding the request id, as Triton 2.51
 * sends them), and each response carries `triton_final_response`: a model
 * that is not decoupled sends one response, final itself. A decoupled model
 * answers only there: one response per piece, each not final; the final flag
 * travels alone, in an empty response, and only when the request asked for it
 * (`triton_enable_empty_final_response`), as the real server does.
 */
import * as grpc from '@grpc/grpc-js';
import { decodeGrpcInputs, encodeGrpcOutputs, paramsFromGrpc } from '../../../kserve/grpcTensors';
import { GrpcStatusError } from '../../../proto/grpcErrors';
import { addHealthService, addInferenceService, type GrpcCallContext } from '../../../proto/inferenceServer';
import type { ModelInferRequest, ModelInferResponse, ModelStreamInferResponse } from '../../../proto/inferenceTypes';
import type { Tensor } from '../../../kserve/tensor';
import { TRITON_MODEL_VERSION, tritonMetadata } from './tritonConfig';
import type { TritonDecoupledModel } from './tritonModels';
import type { TritonInferRequest, TritonService } from './tritonService';
import { toTritonError, type TritonCode } from './tritonWire';

const GRPC_STATUS: Record<TritonCode, grpc.status> = {
  UNKNOWN: grpc.status.UNKNOWN,
  INTERNAL: grpc.status.INTERNAL,
  NOT_FOUND: grpc.status.NOT_FOUND,
  INVALID_ARG: grpc.status.INVALID_ARGUMENT,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  UNSUPPORTED: grpc.status.UNIMPLEMENTED,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  CANCELLED: grpc.status.CANCELLED,
};

/** Runs a handler body, turning Triton errors into the gRPC status Triton maps them to. */
async function guarded<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = toTritonError(e);
    throw new GrpcStatusError(GRPC_STATUS[err.code], err.message);
  }
}

/**
 * The request's id as a response carries it. Empty fields are left out, not set to "": proto3 encoders
 * (Triton's among them) do not write them, and grpc-js would write an explicitly set "".
 */
const idOf = (req: ModelInferRequest): { id?: string } => (req.id ? { id: req.id } : {});

/**
 * The request's tensors and parameters decoded. Undecodable tensors are refused with INVALID_ARGUMENT and, as in
 * Triton 2.51 (seen on the real one), not counted as a failure.
 */
function decodeRequest(req: ModelInferRequest): TritonInferRequest {
  const inputs = decodeGrpcInputs(req);
  const outputs = (req.outputs ?? []).map((o) => ({ name: o.name, parameters: paramsFromGrpc(o.parameters) }));
  return { id: req.id || undefined, parameters: paramsFromGrpc(req.parameters), inputs, outputs };
}

async function modelInfer(
  service: TritonService,
  req: ModelInferRequest,
  ctx: GrpcCallContext,
): Promise<ModelInferResponse> {
  const startedAt = service.ctx.clock.now();
  service.unaryModel(req.model_name, req.model_version || undefined, 'ModelInfer RPC');
  const decoded = decodeRequest(req);
  const result = await service.infer(req.model_name, req.model_version || undefined, decoded, {
    startedAt,
    inputMs: service.ctx.clock.now() - startedAt,
    signal: ctx.signal,
  });
  const r = result.response;
  try {
    const reply: ModelInferResponse = {
      model_name: r.model_name,
      model_version: r.model_version,
      ...idOf(req),
      ...encodeGrpcOutputs(r.outputs),
    };
    result.complete();
    return reply;
  } catch (e) {
    result.fail(e);
    throw e;
  }
}

/** A minimal async queue: stream responses produced by concurrent inferences, in completion order. */
function responseQueue() {
  const items: ModelStreamInferResponse[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  return {
    push(r: ModelStreamInferResponse) {
      items.push(r);
      wake?.();
    },
    close() {
      closed = true;
      wake?.();
    },
    async *drain(): AsyncGenerator<ModelStreamInferResponse> {
      while (true) {
        while (items.length) yield items.shift()!;
        if (closed) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}

/**
 * One request to a decoupled model on a stream: a response per piece as it becomes due (`triton_final_response`
 * false on each), then, if asked, the empty final response (model name and id only, as Triton sends it).
 */
async function decoupledStream(
  service: TritonService,
  model: TritonDecoupledModel,
  req: ModelInferRequest,
  ctx: GrpcCallContext,
  push: (r: ModelStreamInferResponse) => void,
): Promise<void> {
  const startedAt = service.ctx.clock.now();
  const decoded = decodeRequest(req);
  const reply = (outputs: Tensor[]): ModelStreamInferResponse => ({
    infer_response: {
      model_name: req.model_name,
      model_version: TRITON_MODEL_VERSION,
      ...idOf(req),
      parameters: { triton_final_response: { bool_param: false } },
      ...encodeGrpcOutputs(outputs),
    },
  });
  await service.inferStream(
    model,
    decoded,
    { startedAt, inputMs: service.ctx.clock.now() - startedAt, signal: ctx.signal },
    (outputs) => push(reply(outputs)),
  );
  if (req.parameters?.triton_enable_empty_final_response?.bool_param === true)
    push({
      infer_response: {
        model_name: req.model_name,
        ...idOf(req),
        outputs: [],
        parameters: { triton_final_response: { bool_param: true } },
      },
    });
}

function streamInfer(service: TritonService) {
  return (
    requests: AsyncIterable<ModelInferRequest>,
    ctx: GrpcCallContext,
  ): AsyncIterable<ModelStreamInferResponse> => {
    const queue = responseQueue();
    // A client that cancels or disconnects gets nothing more: stop producing at once.
    ctx.signal.addEventListener('abort', () => queue.close(), { once: true });
    const pending = new Set<Promise<void>>();
    const one = async (req: ModelInferRequest) => {
      try {
        const model = await guarded(() => service.model(req.model_name, req.model_version || undefined));
        if (model.decoupled) return await guarded(() => decoupledStream(service, model, req, ctx, queue.push));
        // One response, final itself: Triton 2.51 sends no empty final response for a model that is not decoupled,
        // even when the request sets triton_enable_empty_final_response (seen on the real tier's PyTriton).
        const res = await guarded(() => modelInfer(service, req, ctx));
        res.parameters = { triton_final_response: { bool_param: true } };
        queue.push({ infer_response: res });
      } catch (e) {
        queue.push({
          error_message: e instanceof Error ? e.message : String(e),
          infer_response: { ...idOf(req), outputs: [] },
        });
      }
    };
    void (async () => {
      try {
        for await (const req of requests) {
          const p = one(req).finally(() => pending.delete(p));
          pending.add(p);
        }
      } catch {
        // The client went away mid-stream: nothing left to answer.
      }
      await Promise.allSettled([...pending]);
      queue.close();
    })();
    return queue.drain();
  };
}

/** Registers Triton's gRPC services on `server`. */
export function addTritonGrpc(server: grpc.Server, service: TritonService): void {
  addInferenceService(server, {
    serverLive: () => ({ live: true }),
    serverReady: () => ({ ready: service.ready() }),
    modelReady: (req) => ({ ready: service.modelReady(req.name, req.version || undefined) }),
    serverMetadata: () => service.serverMetadata(),
    modelMetadata: (req) => guarded(() => tritonMetadata(service.model(req.name, req.version || undefined))),
    modelInfer: (req, ctx) => guarded(() => modelInfer(service, req, ctx)),
    modelStatistics: (req) =>
      guarded(() => ({
        model_stats: service
          .statistics(req.name || undefined, req.version || undefined)
          .map(({ batch_stats: _b, memory_usage: _m, response_stats: _r, ...s }) => s),
      })),
    repositoryIndex: (req) =>
      guarded(() => ({ models: service.index(req.ready === true).map((e) => ({ reason: '', ...e })) })),
    modelStreamInfer: streamInfer(service),
  });
  addHealthService(server, (name) =>
    name === '' || name === 'inference.GRPCInferenceService'
      ? service.ready()
        ? 'SERVING'
        : 'NOT_SERVING'
      : 'SERVICE_UNKNOWN',
  );
}
