/**
 * KServe v2 over gRPC with the shared client: ModelInfer (one answer) or
 * ModelStreamInfer (one request, every response shown as it arrives, with its
 * decoded tensors: a decoupled model sends several). In a
 * stream, BYTES outputs of decoupled text models are the tokens; an
 * `error_message` is an in-band error (wire reference §2). gRPC hides the
 * socket, so the breakdown has the first message and the total only.
 */
import { performance } from 'node:perf_hooks';
import { decodeGrpcOutputs } from '../../kserve/grpcTensors';
import { createInferenceClient, type InferenceClient } from '../../proto/grpcInference';
import type { ModelInferResponse } from '../../proto/inferenceTypes';
import { toInferenceError } from '../../http/errors';
import { callController, cancelledMessage, round2, type ExecOptions } from './execOptions';
import { grpcInferViews, grpcStreamJson } from '../views/kserveViews';
import type { RequestResult, ResponseView } from '../../../shared/request';
import { StreamMeter } from './streamMeter';
import { withApiKey, type GrpcWire } from '../build/wire';

/** Tensor bytes of a response (gRPC hides the message size; raw contents are most of it). */
function rawBytes(res: ModelInferResponse): number {
  return (res.raw_output_contents ?? []).reduce((n, b) => n + b.length, 0);
}

type Msg = Extract<ResponseView, { type: 'messages' }>['items'][number];

/** Text carried by a streamed response: its BYTES outputs, decoded as UTF-8. */
function streamedText(res: ModelInferResponse): string {
  return decodeGrpcOutputs(res)
    .filter((t) => t.datatype === 'BYTES')
    .map((t) => (t.values as Uint8Array[]).map((b) => Buffer.from(b).toString('utf8')).join(''))
    .join('');
}

async function readStream(
  client: InferenceClient,
  wire: GrpcWire,
  o: ExecOptions,
  signal: AbortSignal,
  t0: number,
  result: RequestResult,
  started: () => void,
): Promise<void> {
  const meter = new StreamMeter(t0);
  const messages: Msg[] = [];
  let text = '';
  let last: ModelInferResponse | undefined;
  try {
    for await (const r of client.modelStreamInfer([wire.request], { signal })) {
      const atMs = performance.now() - t0;
      // Every message restarts the silence limit (the first one also ends the first-byte limit).
      started();
      result.timing.ttfbMs ??= round2(atMs);
      const data = grpcStreamJson(r);
      messages.push({
        direction: 'received',
        atMs: round2(atMs),
        data: data.length > 4096 ? `${data.slice(0, 4096)}…` : data,
      });
      o.onEvent?.({ type: 'message', direction: 'received', data, atMs: round2(atMs) });
      if (r.error_message) {
        result.error = { kind: 'in-stream', message: `The server reported an error in the stream: ${r.error_message}` };
        break;
      }
      if (!r.infer_response) continue;
      // An empty final response (triton_enable_empty_final_response) only ends the stream: keep the last tensors.
      if (r.infer_response.outputs.length) last = r.infer_response;
      result.sizeBytes += rawBytes(r.infer_response);
      const piece = streamedText(r.infer_response);
      if (piece) {
        text += piece;
        meter.token();
        o.onEvent?.({ type: 'delta', text: piece, metrics: meter.snapshot() });
      }
    }
  } finally {
    result.stream = meter.snapshot();
    result.views = [
      ...(text ? [{ type: 'generation' as const, text }] : []),
      ...(last ? grpcInferViews(last) : []),
      { type: 'messages', items: messages },
    ];
  }
}

export async function runGrpc(wire: GrpcWire, o: ExecOptions = {}): Promise<RequestResult> {
  const t0 = performance.now();
  const result: RequestResult = { ok: false, headers: {}, sizeBytes: 0, timing: { totalMs: 0 }, views: [] };
  const call = callController(o, 'Waiting for the first gRPC message');
  let client: InferenceClient | undefined;
  try {
    client = createInferenceClient(wire.address, {
      metadata: withApiKey(wire.metadata, o.apiKey),
      tls: o.allowSelfSigned ? { allowSelfSigned: true } : undefined,
    });
    if (wire.stream) await readStream(client, wire, o, call.ctrl.signal, t0, result, call.started);
    else {
      const res = await client.modelInfer(wire.request, { signal: call.ctrl.signal });
      call.started();
      result.timing.ttfbMs = round2(performance.now() - t0);
      result.views = grpcInferViews(res);
      result.sizeBytes = rawBytes(res);
    }
    result.statusText = 'gRPC OK';
  } catch (e) {
    if (o.signal?.aborted) {
      result.cancelled = true;
      result.error = { kind: 'cancelled', message: cancelledMessage(result.stream?.tokenCount) };
    } else {
      const err = toInferenceError(call.ctrl.signal.aborted ? (call.ctrl.signal.reason ?? e) : e, wire.address);
      result.error = { kind: err.kind, message: err.message };
      if (result.views.length === 0 && err.kind === 'malformed') result.views = [{ type: 'text', text: err.message }];
    }
  } finally {
    call.dispose();
    client?.close();
  }
  result.timing.totalMs = round2(performance.now() - t0);
  result.ok = !result.error;
  return result;
}
