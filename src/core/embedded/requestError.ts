/**
 * A client error found while reading a request, independent of any server's
 * wire shape: each personality maps `reason` to its own status and body
 * (vLLM `{"error":{…}}`, TGI `{"error","error_type"}`, Ollama `{"error"}`).
 */
export type RequestErrorReason =
  | 'validation'
  | 'model-not-found'
  | 'unsupported-model'
  | 'context-length'
  | 'not-ready'
  | 'overloaded'
  | 'injected';

export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly reason: RequestErrorReason,
    message: string,
    /** Offending field, when one is to blame (`model`, `body.messages`). */
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** Message used by every personality for an injected server fault. */
export const INJECTED_FAULT_MESSAGE = 'Simulated server error (fault injection)';
/** Message used while the simulated warm-up (not-ready window) lasts. */
export const NOT_READY_MESSAGE = 'The model is not ready yet (simulated warm-up)';
