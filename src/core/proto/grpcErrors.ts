import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { InferenceError, type InferenceErrorKind } from '../http/errors';

/** `INVALID_ARGUMENT`, `NOT_FOUND`, … for a numeric gRPC status code. */
export function grpcStatusName(code: number): string {
  return (GrpcStatus as unknown as Record<number, string>)[code] ?? `STATUS_${code}`;
}

/**
 * A failed gRPC call as an InferenceError. `code` is the gRPC status; kind
 * `http` means "the server answered with a non-OK status" (the gRPC
 * counterpart of an HTTP error status); transport failures get the same kinds
 * as HTTP ones so the UI explains them the same way.
 */
export class GrpcCallError extends InferenceError {
  constructor(
    kind: InferenceErrorKind,
    message: string,
    readonly code: number,
    details: { serverMessage?: string; url?: string; cause?: unknown },
  ) {
    super(kind, message, details);
  }
}

/**
 * Thrown by server handlers to answer with a specific gRPC status; anything
 * else a handler throws becomes INTERNAL with its message.
 */
export class GrpcStatusError extends Error {
  override readonly name = 'GrpcStatusError';
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
  }
}

function transportKind(details: string): InferenceErrorKind | undefined {
  // Something answered, but not in HTTP/2 (an HTTP/1.1 server on that port): reached, and not gRPC.
  if (/Protocol error|Received HTTP\/1|HTTP\/1\.[01]/i.test(details)) return 'malformed';
  if (/ECONNREFUSED|No connection established|connect ECONN/i.test(details)) return 'connection-refused';
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(details)) return 'dns';
  if (/ECONNRESET|Connection dropped|EPIPE|socket hang up/i.test(details)) return 'connection-reset';
  if (/certificate|SSL|TLS|handshake/i.test(details)) return 'tls';
  return undefined;
}

/** Maps a grpc-js error (or anything thrown around a call) to a GrpcCallError. */
export function toGrpcCallError(e: unknown, address: string, signal?: AbortSignal): InferenceError {
  if (e instanceof InferenceError) return e;
  const err = e as Partial<ServiceError>;
  if (typeof err?.code !== 'number') {
    return new GrpcCallError(
      'unknown',
      `gRPC call to ${address} failed: ${err?.message ?? String(e)}`,
      GrpcStatus.UNKNOWN,
      { url: address, cause: e },
    );
  }
  const code = err.code;
  const details = err.details ?? err.message ?? '';
  const base = { serverMessage: details || undefined, url: address, cause: e };
  if (code === GrpcStatus.CANCELLED && (signal?.aborted ?? true))
    return new GrpcCallError('cancelled', 'Cancelled', code, base);
  if (code === GrpcStatus.DEADLINE_EXCEEDED)
    return new GrpcCallError('timeout', `Timed out waiting for the gRPC server (${address})`, code, base);
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    return new GrpcCallError(
      'auth',
      `Authentication failed (gRPC ${grpcStatusName(code)}) from ${address}: ${details} (check the token sent as metadata)`,
      code,
      base,
    );
  }
  if (code === GrpcStatus.UNAVAILABLE) {
    const kind = transportKind(details);
    if (kind === 'connection-refused') {
      return new GrpcCallError(
        kind,
        `Connection refused (${address}): is the server running and is this its gRPC port?`,
        code,
        base,
      );
    }
    if (kind === 'malformed') {
      return new GrpcCallError(
        kind,
        `${address} answers, but not with gRPC (HTTP/2): it looks like an HTTP/1.1 server. Give the server's gRPC port (e.g. 8001 for Triton, 8081 for KServe).`,
        code,
        base,
      );
    }
    if (kind) return new GrpcCallError(kind, `gRPC connection to ${address} failed: ${details}`, code, base);
  }
  return new GrpcCallError('http', `gRPC ${grpcStatusName(code)} (${code}) from ${address}: ${details}`, code, base);
}
