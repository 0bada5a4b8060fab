/**
 * One normalized error for every way a call to an inference server can fail.
 * `kind` drives the user-facing message; `status` and `serverMessage` keep
 * what the server said. Messages never include stack traces or secrets.
 */
export type InferenceErrorKind =
  | 'invalid-url'
  | 'dns'
  | 'connection-refused'
  | 'connection-reset'
  | 'tls'
  | 'timeout'
  | 'cancelled'
  | 'auth'
  | 'http'
  | 'malformed'
  | 'in-stream'
  | 'unknown';

export class InferenceError extends Error {
  override readonly name = 'InferenceError';
  constructor(
    readonly kind: InferenceErrorKind,
    message: string,
    readonly details: { status?: number; serverMessage?: string; url?: string; cause?: unknown } = {},
  ) {
    super(message);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get serverMessage(): string | undefined {
    return this.details.serverMessage;
  }
  static is(e: unknown): e is InferenceError {
    return e instanceof InferenceError;
  }
}

/**
 * Extracts the server's own message from the error body shapes of the servers
 * we speak to (wire reference §12): `{"error": str}` (OIP, Triton, KServe, TF
 * Serving, TGI, TEI), `{"error": {"message": …}}` (vLLM >= 0.10.1, OpenAI),
 * `{"object":"error","message":…}` (older vLLM), `{"code","type","message"}`
 * (TorchServe), `{"detail": str}` (FastAPI). Falls back to a trimmed text body.
 */
export function serverMessageFromBody(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const j = JSON.parse(trimmed) as Record<string, unknown>;
    if (j && typeof j === 'object') {
      const err = j.error;
      if (typeof err === 'string') return err;
      if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
        return (err as { message: string }).message;
      }
      if (typeof j.message === 'string') return j.message;
      if (typeof j.detail === 'string') return j.detail;
      if (Array.isArray(j.detail)) return JSON.stringify(j.detail).slice(0, 500);
    }
  } catch {
    /* not JSON: use the text */
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

/** An InferenceError for a non-2xx HTTP answer. */
export function httpError(status: number, body: string | Uint8Array | undefined, url?: string): InferenceError {
  const serverMessage = serverMessageFromBody(body);
  const kind: InferenceErrorKind = status === 401 || status === 403 ? 'auth' : 'http';
  const what =
    status === 401
      ? 'Authentication failed (HTTP 401): set or check the API key for this server'
      : status === 403
        ? 'Authentication failed (HTTP 403): the API key is not allowed to do this'
        : `HTTP ${status}`;
  return new InferenceError(kind, serverMessage ? `${what}: ${serverMessage}` : what, { status, serverMessage, url });
}

/** Maps low-level errors (undici, Node net/tls, abort) to an InferenceError with a clear message. */
export function toInferenceError(e: unknown, url?: string): InferenceError {
  if (e instanceof InferenceError) return e;
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code ?? '';
  const where = url ? ` (${safeUrl(url)})` : '';
  if (
    err?.name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return new InferenceError('timeout', `Timed out waiting for the server${where}`, { url, cause: e });
  }
  if (
    err?.name === 'AbortError' ||
    err?.name === 'CancelledError' ||
    code === 'UND_ERR_ABORTED' ||
    code === 'ABORT_ERR'
  ) {
    return new InferenceError('cancelled', 'Cancelled', { url, cause: e });
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'HPE_HEADER_OVERFLOW') {
    return new InferenceError('malformed', `The server's response headers are larger than the limit (16 KB)${where}`, {
      url,
      cause: e,
    });
  }
  if (code === 'ECONNREFUSED')
    return new InferenceError(
      'connection-refused',
      `Connection refused${where}: is the server running and listening on that port?`,
      { url, cause: e },
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new InferenceError('dns', `Host not found${where}`, { url, cause: e });
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return new InferenceError('connection-reset', `Connection closed by the server${where}`, { url, cause: e });
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate|ssl|tls/i.test(err?.message ?? '')) {
    return new InferenceError(
      'tls',
      `TLS error${where}: ${err?.message ?? code}. For a self-signed certificate, enable "allow self-signed" for this server.`,
      { url, cause: e },
    );
  }
  if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG')
    return new InferenceError('invalid-url', `Invalid URL${where}`, { url, cause: e });
  return new InferenceError('unknown', `${err?.message ?? String(e)}${where}`, { url, cause: e });
}

/** A URL without credentials or query string, for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

/** Parses and checks a user-supplied base URL (http or https only). */
export function parseBaseUrl(input: string): URL {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new InferenceError('invalid-url', `Not a valid URL: "${input}". Expected e.g. http://localhost:8000`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new InferenceError(
      'invalid-url',
      `Unsupported scheme "${u.protocol}" in "${input}": use http:// or https://`,
    );
  }
  return u;
}
