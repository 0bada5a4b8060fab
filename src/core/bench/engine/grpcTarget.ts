import { createInferenceClient, type InferenceClient } from '../../proto/grpcInference';
import type { ModelInferRequest } from '../../proto/inferenceTypes';
import { TimeoutError } from '../../util/abort';
import type { RawRecord } from '../record';
import type { CallTarget, PendingCall } from './callTarget';
import { now } from './clock';

export interface GrpcTargetOptions {
  address: string;
  request: ModelInferRequest;
  /** Items per request. */
  n: number;
  /** Sent with every call (authorization); never recorded. */
  metadata?: Record<string, string>;
  /** HTTP/2 channels to spread calls over (one carries many concurrent calls). */
  channels: number;
}

/**
 * KServe v2 `ModelInfer` over gRPC through the shared client
 * (src/core/proto/grpcInference.ts), with the tensor in `raw_input_contents`.
 * Status is recorded as 1000 + gRPC code (1000 = OK).
 */
export class GrpcInferTarget implements CallTarget {
  private readonly clients: InferenceClient[];
  private readonly bytesOut: number;
  private next = 0;

  constructor(private readonly o: GrpcTargetOptions) {
    this.clients = Array.from({ length: Math.max(1, o.channels) }, () =>
      createInferenceClient(o.address, { metadata: o.metadata }),
    );
    this.bytesOut = (o.request.raw_input_contents ?? []).reduce((a, b) => a + b.length, 0);
  }

  start(_i: number, rec: RawRecord, done: () => void): PendingCall {
    const client = this.clients[this.next++ % this.clients.length];
    const ctrl = new AbortController();
    let reason: Error | undefined;
    rec.n = this.o.n;
    rec.bo = this.bytesOut;
    rec.t = now();
    void client
      .modelInfer(this.o.request, { signal: ctrl.signal })
      .then(
        (res) => {
          rec.e = now() - rec.t;
          rec.h = rec.e;
          rec.st = 1000;
          rec.bi = (res.raw_output_contents ?? []).reduce((a, b) => a + b.length, 0);
        },
        (err: { kind?: string; message?: string; code?: number }) => {
          rec.e = now() - rec.t;
          rec.st = 1000 + (typeof err.code === 'number' ? err.code : 2);
          rec.ek = reason instanceof TimeoutError ? 'timeout' : (err.kind ?? 'unknown');
          rec.er = reason instanceof TimeoutError ? reason.message : (err.message ?? String(err));
          if (rec.ek === 'cancelled') rec.x = 1;
        },
      )
      .finally(done);
    return {
      abort: (r) => {
        reason = r;
        ctrl.abort(r);
      },
    };
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
  }
}
