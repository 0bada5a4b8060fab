/**
 * A client error found while reading a request, independent of any server's
 * wire shape: each personality maps `reason` to its own status and body
 * (vLLM `{"error":{…}}`, TGI `{"error","error_type"}`, Ollama `{"error"}`).
 */
export type RequestErrorReason =
  'validation' | 'model-not-found' | 'unsupported-model' | 'context-length' | 'not-ready' | 'overloaded' | 'injected';

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

/**
 * The HTTP status most servers use for each reason (vLLM, Ollama, Ray Serve's
 * OpenAI app); personalities with other conventions (TGI 422/424, TEI) map their own.
 */
export const REQUEST_ERROR_STATUS: Record<RequestErrorReason, number> = {
  validation: 400,
  'model-not-found': 404,
  'unsupported-model': 400,
  'context-length': 400,
  'not-ready': 503,
  overloaded: 429,
  injected: 500,
};

/** Message used by every personality for an injected server fault. */
export const INJECTED_FAULT_MESSAGE = 'Simulated server error (fault injection)';
/** Message used while the simulated warm-up (not-ready window) lasts. */
export const NOT_READY_MESSAGE = 'The model is not ready yet (simulated warm-up)';
