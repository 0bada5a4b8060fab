import { once } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { toGrpcCallError } from './grpcErrors';
import type { ModelInferRequest, ModelStreamInferResponse } from './inferenceTypes';

/** One open `ModelStreamInfer` call (bidirectional). */
export interface InferStream {
  /** Writes one request; resolves once the transport accepts more (backpressure). */
  send(req: ModelInferRequest): Promise<void>;
  /** Writes every request in order, then half-closes; a failing source cancels the call. */
  sendAll(requests: Iterable<ModelInferRequest> | AsyncIterable<ModelInferRequest>): void;
  /** Half-closes: the server finishes what it has and then ends the stream. */
  end(): void;
  /** Cancels the call; `responses` then ends with a 'cancelled' error. */
  cancel(): void;
  /**
   * Responses in arrival order. In-band errors (`error_message`) are yielded,
   * not thrown: only a failed call (status, transport, cancel) throws. Leaving
   * the loop early cancels the call.
   */
  readonly responses: AsyncIterable<ModelStreamInferResponse>;
}

type Duplex = grpc.ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;

/** Wraps a grpc-js duplex call; `signals` cancel it when any of them aborts. */
export function openStream(call: Duplex, target: string, signals: AbortSignal[]): InferStream {
  let finished = false;
  let sourceError: unknown;
  call.on('status', () => {
    finished = true;
  });
  // The reader reports errors; this listener only keeps an early one from being "unhandled".
  call.on('error', () => {});
  const cancel = () => call.cancel();
  for (const s of signals) {
    if (s.aborted) queueMicrotask(cancel);
    else s.addEventListener('abort', cancel, { once: true });
  }
  const cleanup = () => {
    for (const s of signals) s.removeEventListener('abort', cancel);
  };

  async function send(req: ModelInferRequest): Promise<void> {
    if (!call.write(req)) await once(call, 'drain');
  }

  async function pump(requests: Iterable<ModelInferRequest> | AsyncIterable<ModelInferRequest>): Promise<void> {
    try {
      for await (const r of requests) {
        if (finished) return;
        await send(r);
      }
      call.end();
    } catch (e) {
      sourceError = e;
      call.cancel();
    }
  }

  async function* read(): AsyncGenerator<ModelStreamInferResponse> {
    try {
      for await (const r of call as AsyncIterable<ModelStreamInferResponse>) yield r;
    } catch (e) {
      if (sourceError !== undefined) throw sourceError;
      throw toGrpcCallError(e, target, signals.find((s) => s.aborted) ?? signals[0]);
    } finally {
      cleanup();
      if (!finished) call.cancel();
    }
  }

  return {
    send,
    sendAll: (requests) => void pump(requests),
    end: () => call.end(),
    cancel,
    responses: read(),
  };
}
