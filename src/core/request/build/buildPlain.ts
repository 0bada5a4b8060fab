/**
 * Wire requests whose body the user writes: TorchServe predictions (JSON or
 * a file sent as the raw body, §5), TF Serving predict (row or columnar
 * JSON, §6), raw HTTP and WebSocket messages.
 */
import { joinUrl } from '../../servers/serverHttp';
import type { RequestDraft, RequestTarget } from '../../../shared/request';
import { API_KEY_PLACEHOLDER, bearer, type BuildContext, type HttpWire, type WsWire } from './wire';

const enc = encodeURIComponent;

function mimeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const known: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    webp: 'image/webp',
    bmp: 'image/bmp',
    json: 'application/json',
    txt: 'text/plain',
    wav: 'audio/wav',
  };
  return known[ext] ?? 'application/octet-stream';
}

export async function buildTorchServe(d: RequestDraft, target: RequestTarget, ctx: BuildContext): Promise<HttpWire> {
  const path = `/predictions/${enc(d.model)}${d.modelVersion ? `/${enc(d.modelVersion)}` : ''}`;
  const base = {
    transport: 'http' as const,
    template: d.template,
    method: 'POST',
    url: joinUrl(target.baseUrl, path),
    expect: 'any' as const,
  };
  if (d.bodyMode === 'file') {
    if (!d.filePath) throw new Error('Choose the file to send as the request body');
    const bytes = await ctx.readFile(d.filePath);
    return { ...base, headers: { 'content-type': mimeOf(d.filePath), ...bearer(ctx.hasApiKey) }, body: bytes };
  }
  return {
    ...base,
    headers: {
      'content-type': looksJson(d.body) ? 'application/json' : 'text/plain; charset=utf-8',
      ...bearer(ctx.hasApiKey),
    },
    body: d.body ?? '',
  };
}

function looksJson(body: string | undefined): boolean {
  const t = (body ?? '').trim();
  return t.startsWith('{') || t.startsWith('[');
}

export function buildTfServing(d: RequestDraft, target: RequestTarget, hasApiKey: boolean): HttpWire {
  const path = `/v1/models/${enc(d.model)}${d.modelVersion ? `/versions/${enc(d.modelVersion)}` : ''}:predict`;
  return {
    transport: 'http',
    template: d.template,
    method: 'POST',
    url: joinUrl(target.baseUrl, path),
    headers: { 'content-type': 'application/json', ...bearer(hasApiKey) },
    body: d.body ?? '',
    expect: 'json',
  };
}

const bodyless = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export function buildRaw(d: RequestDraft, target: RequestTarget, hasApiKey: boolean): HttpWire {
  const method = (d.method || 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new Error(`"${d.method}" is not an HTTP method`);
  const path = d.path?.trim() || '/';
  const url = /^https?:\/\//i.test(path) ? path : joinUrl(target.baseUrl, path);
  const headers: Record<string, string> = {};
  for (const h of d.headers ?? []) {
    const name = h.name.trim();
    if (!name) continue;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`"${name}" is not a valid header name`);
    headers[name.toLowerCase()] = h.value;
  }
  if (hasApiKey && !headers.authorization) headers.authorization = `Bearer ${API_KEY_PLACEHOLDER}`;
  const body = bodyless.has(method) && !d.body ? undefined : d.body;
  if (body && !headers['content-type'])
    headers['content-type'] = looksJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
  const expect =
    d.framing === 'sse' ? 'sse' : d.framing === 'ndjson' ? 'ndjson' : d.framing === 'chunked' ? 'chunked' : 'any';
  return { transport: 'http', template: 'raw', method, url, headers, body, expect };
}

export function buildWebSocket(d: RequestDraft, target: RequestTarget, hasApiKey: boolean): WsWire {
  const url = d.path?.trim() || target.wsUrl;
  if (!url) throw new Error(`Enter the WebSocket URL of ${target.serverName} (ws:// or wss://)`);
  if (!/^wss?:\/\/[^/]/i.test(url))
    throw new Error(`"${url}" is not a WebSocket URL: it must start with ws:// or wss://`);
  return {
    transport: 'websocket',
    template: 'websocket',
    url,
    headers: bearer(hasApiKey),
    messages: d.wsMessages ?? [],
  };
}
