import * as vscode from 'vscode';
import { buildWire } from '../../core/request/build/build';
import { copyAs, copyFormatsFor } from '../../core/request/copyAs/copyAs';
import type { CopyFormat, RequestDraft, RequestTarget } from '../../shared/request';
import type { RgbaImage } from '../../core/request/build/wire';
import { apiKeyFor, readDraftFile, resolveWorkspacePath, type PanelContext } from './panelContext';

/** The copy formats the webview offers for a draft (by the transport it will use). */
export function copyFormats(draft: RequestDraft): CopyFormat[] {
  if (draft.template === 'websocket') return copyFormatsFor('websocket');
  if (draft.template === 'kserve-infer' && draft.kserveTransport && draft.kserveTransport !== 'rest')
    return copyFormatsFor('grpc');
  return copyFormatsFor('http');
}

/**
 * The draft as a command or program. The key is never in it: where the server
 * has one, the text reads INFERENCE_LAB_API_KEY from the environment.
 */
export async function copyRequest(
  ctx: PanelContext,
  target: RequestTarget,
  draft: RequestDraft,
  format: CopyFormat,
  images?: Record<string, RgbaImage>,
): Promise<string> {
  const t = { ...target, model: draft.model || target.model };
  const hasApiKey = !!(await apiKeyFor(ctx, t));
  const wire = await buildWire(draft, t, { hasApiKey, readFile: readDraftFile, images });
  const bodyFile =
    draft.template === 'torchserve-predict' && draft.bodyMode === 'file' && draft.filePath
      ? resolveWorkspacePath(draft.filePath).fsPath
      : undefined;
  const protoDir = vscode.Uri.joinPath(ctx.context.extensionUri, 'dist', 'proto').fsPath;
  return copyAs(format, wire, { bodyFile, protoDir, allowSelfSigned: t.allowSelfSigned });
}
