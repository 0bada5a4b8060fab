import { InferenceError } from '../http/errors';

/**
 * A tensor that cannot be encoded or decoded: wrong element count, a value
 * that does not fit its datatype, truncated binary data, a bad
 * `Inference-Header-Content-Length`. Kind `malformed`; servers answer it with
 * their "invalid argument" status (Triton: HTTP 400 / gRPC INVALID_ARGUMENT).
 */
export class TensorCodecError extends InferenceError {
  constructor(message: string) {
    super('malformed', message);
  }
  static isCodecError(e: unknown): e is TensorCodecError {
    return e instanceof TensorCodecError;
  }
}

/** A request body whose JSON header does not parse (Triton 2.51 answers it with 500, not 400). */
export class JsonHeaderError extends TensorCodecError {}

/** `input 'x'` / `output 'y'`: how messages name the tensor at fault. */
export function tensorLabel(role: 'input' | 'output', name: string): string {
  return `${role} '${name}'`;
}
