/**
 * "Copy as curl / grpcurl / Python / TypeScript" for any wire request. The
 * output never holds a secret: the key is read from INFERENCE_LAB_API_KEY.
 */
import type { CopyFormat } from '../../../shared/request';
import { redactUrl } from '../../../shared/redact';
import { maskHeaderValue } from '../../../shared/request';
import type { WireRequest } from '../build/wire';
import { toCurl } from './curl';
import { pythonGrpc, toGrpcurl, typescriptGrpc } from './grpc';
import { pythonHttp, pythonWebSocket } from './python';
import { typescriptHttp, typescriptWebSocket } from './typescript';

export interface CopyOptions {
  /** The body was read from this file (TorchServe file mode). */
  bodyFile?: string;
  /** Directory holding grpc_service.proto (grpcurl and the TypeScript gRPC client need it). */
  protoDir: string;
  allowSelfSigned?: boolean;
}

/** The formats that make sense for a transport (curl cannot speak gRPC; grpcurl speaks only gRPC). */
export function copyFormatsFor(transport: WireRequest['transport']): CopyFormat[] {
  if (transport === 'grpc') return ['grpcurl', 'python', 'typescript'];
  if (transport === 'websocket') return ['python', 'typescript'];
  return ['curl', 'python', 'typescript'];
}

/**
 * A typed-in credential becomes the key placeholder, exactly like a stored
 * key: the copy reads it from INFERENCE_LAB_API_KEY. Which headers are
 * credentials, and how a scheme ("Bearer") is kept, is maskHeaderValue's rule.
 */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, maskHeaderValue(k, v)]));
}

/** The request as it may be copied: no credentials in its URL, typed keys masked. */
function masked(wire: WireRequest): WireRequest {
  switch (wire.transport) {
    case 'http':
      return { ...wire, url: redactUrl(wire.url), headers: maskHeaders(wire.headers) };
    case 'websocket':
      return { ...wire, url: redactUrl(wire.url), headers: maskHeaders(wire.headers) };
    case 'grpc':
      return { ...wire, metadata: maskHeaders(wire.metadata) };
  }
}

export function copyAs(format: CopyFormat, unmasked: WireRequest, o: CopyOptions): string {
  const wire = masked(unmasked);
  if (!copyFormatsFor(wire.transport).includes(format)) {
    const alt = copyFormatsFor(wire.transport).join(', ');
    throw new Error(
      `"Copy as ${format}" does not fit a ${wire.transport === 'http' ? 'HTTP' : wire.transport === 'grpc' ? 'gRPC' : 'WebSocket'} request: use ${alt}`,
    );
  }
  switch (wire.transport) {
    case 'http':
      return format === 'curl'
        ? toCurl({ wire, bodyFile: o.bodyFile })
        : format === 'python'
          ? pythonHttp(wire, o.bodyFile)
          : typescriptHttp(wire, o.bodyFile);
    case 'grpc':
      return format === 'grpcurl'
        ? toGrpcurl(wire, o.protoDir, o.allowSelfSigned)
        : format === 'python'
          ? pythonGrpc(wire)
          : typescriptGrpc(wire, o.protoDir);
    case 'websocket':
      return format === 'python' ? pythonWebSocket(wire) : typescriptWebSocket(wire);
  }
}
