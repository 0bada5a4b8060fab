/**
 * Draft → wire request, for every template. Building never sends anything;
 * a draft that cannot be built (bad tensor data, missing file, bad header
 * name) throws an Error whose message says what to fix.
 */
import { buildKserveGrpc, buildKserveRest } from './buildKserve';
import { buildTextRequest, isTextTemplate } from './buildGenerative';
import { buildRaw, buildTfServing, buildTorchServe, buildWebSocket } from './buildPlain';
import type { RequestDraft, RequestTarget } from '../../../shared/request';
import type { BuildContext, WireRequest } from './wire';

export async function buildWire(draft: RequestDraft, target: RequestTarget, ctx: BuildContext): Promise<WireRequest> {
  if (
    !draft.model &&
    draft.template !== 'raw' &&
    draft.template !== 'websocket' &&
    draft.template !== 'tei-embed' &&
    draft.template !== 'tgi-generate' &&
    draft.template !== 'tgi-generate-stream'
  ) {
    throw new Error('Choose the model to send the request to');
  }
  if (isTextTemplate(draft)) return buildTextRequest(draft, target, ctx.hasApiKey);
  switch (draft.template) {
    case 'kserve-infer':
      if (draft.kserveTransport === 'grpc' || draft.kserveTransport === 'grpc-stream')
        return buildKserveGrpc(draft, target, ctx);
      return buildKserveRest(draft, target, ctx);
    case 'torchserve-predict':
      return buildTorchServe(draft, target, ctx);
    case 'tfserving-predict':
      return buildTfServing(draft, target, ctx.hasApiKey);
    case 'websocket':
      return buildWebSocket(draft, target, ctx.hasApiKey);
    case 'raw':
      return buildRaw(draft, target, ctx.hasApiKey);
    default:
      throw new Error(`Unknown template "${draft.template as string}"`);
  }
}
