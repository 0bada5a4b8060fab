/**
 * Checks for what a user types into the Add / Edit Server boxes. Each check
 * returns the message to show under the input box, or undefined when fine, so
 * the box can validate as the user types.
 */
import { InferenceError, parseBaseUrl } from '../../http/errors';

/** A message for an unusable server URL, or undefined. Only http(s) with a host is accepted. */
export function serverUrlProblem(input: string): string | undefined {
  const text = input.trim();
  if (!text) return 'Enter the server URL, e.g. http://localhost:8000';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return `Add the scheme: http://${text} or https://${text}`;
  try {
    // Parsed as typed: normalizing would drop the credentials this check is about.
    const u = parseBaseUrl(text);
    if (!u.hostname) return 'The URL has no host name.';
    if (u.username || u.password)
      return 'Leave credentials out of the URL: the API key is asked for separately and kept in secret storage.';
    if (u.port === '0') return 'Port 0 is not a listening port.';
  } catch (e) {
    return InferenceError.is(e) ? e.message : 'Not a valid URL.';
  }
  return undefined;
}

/**
 * The URL as stored: trimmed, no trailing slash, no query or fragment (the
 * same form as serverHttp's normalizeBaseUrl, which this module does not
 * import: it runs at activation, where the HTTP client must not load yet).
 * Throws on an unusable URL.
 */
export function cleanServerUrl(input: string): string {
  const problem = serverUrlProblem(input);
  if (problem) throw new InferenceError('invalid-url', problem);
  const u = parseBaseUrl(input.trim());
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** `host:port` of a gRPC endpoint, or a message. */
export function grpcAddressProblem(input: string): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const m = /^([^\s:/]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(text);
  if (!m) return 'Expected host:port, e.g. localhost:8001';
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? undefined : 'The port must be between 1 and 65535.';
}

/** A timeout in ms between 100 ms and 10 minutes, or a message. */
export function timeoutProblem(input: string): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 100 && n <= 600_000
    ? undefined
    : 'Enter a whole number of milliseconds between 100 and 600000.';
}

/** Model names from a comma- or space-separated list, without duplicates. */
export function parseModelList(input: string): string[] {
  return [...new Set(input.split(/[\s,]+/).filter(Boolean))];
}

/** A default display name, "vLLM @ localhost:8000". */
export function defaultServerName(kindLabel: string | undefined, url: string): string {
  let where = url;
  try {
    where = new URL(url).host;
  } catch {
    /* keep the text as typed */
  }
  return kindLabel ? `${kindLabel} @ ${where}` : where;
}
