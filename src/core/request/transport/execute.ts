/**
 * Sends a wire request over its transport and describes it for display.
 * `sendDraft` is the whole path from the form: build, then send; a draft
 * that cannot be built gives a result with an 'invalid-request' error, so
 * callers (the panel, the CLI) handle one shape whatever went wrong.
 */
import { buildWire } from '../build/build';
import type { ExecOptions } from './execOptions';
import { runGrpc } from './grpcTransport';
import { runHttp } from './httpTransport';
import { grpcJson } from '../views/kserveViews';
import type { RequestDraft, RequestResult, RequestTarget, SentSummary } from '../../../shared/request';
import { displayHeaders } from '../secrets';
import { redactUrl } from '../../../shared/redact';
import type { BuildContext, WireRequest } from '../build/wire';
import { runWebSocket } from './wsTransport';

export function executeWire(wire: WireRequest, o: ExecOptions = {}): Promise<RequestResult> {
  switch (wire.transport) {
    case 'http':
      return runHttp(wire, o);
    case 'grpc':
      return runGrpc(wire, o);
    case 'websocket':
      return runWebSocket(wire, o);
  }
}

const bodyPreviewChars = 16 * 1024;

function bodyPreview(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string')
    return body.length > bodyPreviewChars ? `${body.slice(0, bodyPreviewChars)}… (${body.length} characters)` : body;
  return `(${body.length} bytes of binary data)`;
}

export function sentSummary(wire: WireRequest): SentSummary {
  switch (wire.transport) {
    case 'http':
      return {
        transport: 'http',
        method: wire.method,
        url: redactUrl(wire.url),
        headers: displayHeaders(wire.headers),
        body: bodyPreview(wire.body),
      };
    case 'websocket':
      return {
        transport: 'websocket',
        method: 'WS',
        url: redactUrl(wire.url),
        headers: displayHeaders(wire.headers),
        body: wire.messages.join('\n'),
      };
    case 'grpc':
      return {
        transport: 'grpc',
        method: wire.stream ? 'ModelStreamInfer' : 'ModelInfer',
        url: wire.address,
        headers: displayHeaders(wire.metadata),
        body: bodyPreview(grpcJson(wire.request)),
      };
  }
}

export interface SendOutcome {
  wire?: WireRequest;
  sent?: SentSummary;
  result: RequestResult;
}

/** Builds and sends; `onBuilt` sees the wire request (masked summary) before any byte goes out. */
export async function sendDraft(
  draft: RequestDraft,
  target: RequestTarget,
  ctx: BuildContext,
  o: ExecOptions & { onBuilt?: (s: SentSummary) => void } = {},
): Promise<SendOutcome> {
  let wire: WireRequest;
  try {
    wire = await buildWire(draft, target, ctx);
  } catch (e) {
    return {
      result: {
        ok: false,
        headers: {},
        sizeBytes: 0,
        timing: { totalMs: 0 },
        views: [],
        error: { kind: 'invalid-request', message: (e as Error).message },
      },
    };
  }
  const sent = sentSummary(wire);
  o.onBuilt?.(sent);
  return { wire, sent, result: await executeWire(wire, { allowSelfSigned: target.allowSelfSigned, ...o }) };
}
