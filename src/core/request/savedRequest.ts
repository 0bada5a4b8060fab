/**
 * The saved-request file (`.inference-lab/requests/<name>.json`): a versioned
 * JSON document with the server it was made for and the masked draft. It is
 * validated with a JSON Schema (ajv) on open, so a hand-edited file gives a
 * list of precise problems instead of a half-working panel.
 */
import Ajv from 'ajv';
import type { RequestDraft, RequestTarget, TemplateId } from '../../shared/request';
import { maskDraft } from './secrets';
import { templateLabels } from './build/templates';

export const SAVED_REQUEST_VERSION = 1;
export const SAVED_REQUESTS_DIR = '.inference-lab/requests';

export interface SavedRequest {
  inferenceLabRequest: number;
  name: string;
  /** The server the request was made for; on open, a live server with the same id wins over `url`. */
  server: Pick<RequestTarget, 'serverId' | 'serverName' | 'kind' | 'baseUrl'> &
    Partial<Pick<RequestTarget, 'grpcAddress' | 'wsUrl'>>;
  draft: RequestDraft;
}

const str = { type: 'string' };
const strArray = { type: 'array', items: str };
const schema = {
  type: 'object',
  required: ['inferenceLabRequest', 'name', 'server', 'draft'],
  properties: {
    inferenceLabRequest: { type: 'integer', minimum: 1, maximum: SAVED_REQUEST_VERSION },
    name: str,
    server: {
      type: 'object',
      required: ['serverId', 'kind', 'baseUrl'],
      properties: { serverId: str, serverName: str, kind: str, baseUrl: str, grpcAddress: str, wsUrl: str },
    },
    draft: {
      type: 'object',
      required: ['template', 'model'],
      properties: {
        template: { enum: Object.keys(templateLabels) },
        model: str,
        messages: {
          type: 'array',
          items: {
            type: 'object',
            required: ['role', 'content'],
            properties: { role: { enum: ['system', 'user', 'assistant'] }, content: str },
          },
        },
        prompt: str,
        inputs: strArray,
        params: {
          type: 'object',
          properties: {
            temperature: { type: 'number' },
            maxTokens: { type: 'integer', minimum: 1 },
            stop: strArray,
            stream: { type: 'boolean' },
          },
        },
        tensors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'datatype', 'shape', 'data'],
            properties: {
              name: str,
              datatype: str,
              shape: { type: 'array', items: { type: 'integer' } },
              data: str,
              image: { type: 'object' },
            },
          },
        },
        outputs: strArray,
        encoding: { enum: ['json', 'binary'] },
        kserveTransport: { enum: ['rest', 'grpc', 'grpc-stream'] },
        headers: {
          type: 'array',
          items: { type: 'object', required: ['name', 'value'], properties: { name: str, value: str } },
        },
        wsMessages: strArray,
        body: str,
        method: str,
        path: str,
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<SavedRequest>(schema);

export function toSavedRequest(
  name: string,
  target: RequestTarget,
  draft: RequestDraft,
  apiKey?: string,
): SavedRequest {
  const server: SavedRequest['server'] = {
    serverId: target.serverId,
    serverName: target.serverName,
    kind: target.kind,
    baseUrl: target.baseUrl,
  };
  if (target.grpcAddress) server.grpcAddress = target.grpcAddress;
  if (target.wsUrl) server.wsUrl = target.wsUrl;
  return { inferenceLabRequest: SAVED_REQUEST_VERSION, name, server, draft: maskDraft(draft, apiKey) };
}

export function serializeSavedRequest(s: SavedRequest): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** Parses and validates a saved-request file; throws an Error listing every problem. */
export function parseSavedRequest(text: string, fileName = 'request file'): SavedRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName} is not valid JSON: ${(e as Error).message}`);
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new Error(`${fileName} is not an Inference Lab request: ${problems.join('; ')}`);
  }
  return value;
}

/** A file name from a request name: lower case, dashes, no path characters. */
export function savedFileName(name: string, template: TemplateId): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || template}.json`;
}

export function targetFromSaved(s: SavedRequest): RequestTarget {
  return {
    serverId: s.server.serverId,
    serverName: s.server.serverName ?? s.server.serverId,
    kind: s.server.kind,
    baseUrl: s.server.baseUrl,
    grpcAddress: s.server.grpcAddress,
    wsUrl: s.server.wsUrl,
    model: s.draft.model || undefined,
  };
}
