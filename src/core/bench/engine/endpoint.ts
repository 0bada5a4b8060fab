import { parseBaseUrl } from '../../http/errors';

/** Where a run's HTTP requests go, and the headers every request carries. */
export interface Endpoint {
  /** `http://host:port`: the pool's origin. */
  origin: string;
  /** A path the server is mounted under ("" for the root), e.g. `/openai` for KServe's OpenAI routes. */
  basePath: string;
  /** Flat header pairs (Authorization when an API key is set): never logged or recorded. */
  headers: string[];
  allowSelfSigned?: boolean;
}

/**
 * Splits a user URL into origin and base path. An OpenAI-style base ending in
 * `/v1` is accepted too (our API paths carry their own `/v1`).
 */
export function endpointFor(url: string, apiKey?: string): Endpoint {
  const headers = apiKey ? ['authorization', `Bearer ${apiKey}`] : [];
  // A gRPC-only run (kserve-grpc at grpc://host:port) has no HTTP origin; the headers still apply.
  if (/^grpcs?:\/\//i.test(url.trim())) return { origin: '', basePath: '', headers };
  const u = parseBaseUrl(url);
  const basePath = u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return { origin: u.origin, basePath, headers };
}
