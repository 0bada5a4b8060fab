import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestDraft, RequestTarget } from '../../shared/request';
import {
  SAVED_REQUESTS_DIR,
  savedFileName,
  serializeSavedRequest,
  toSavedRequest,
  type SavedRequest,
} from '../../core/request/savedRequest';
import { apiKeyFor, type PanelContext } from './panelContext';

/** A saved-request file a panel edits (custom editor): writes go through the document, so undo and dirty state work. */
export interface BoundFile {
  readonly name: string;
  readonly document: vscode.TextDocument;
  /** The file changed under the panel (edited as text, reverted, changed on disk). */
  onDidChangeExternally(listener: (s: { target: RequestTarget; draft: RequestDraft }) => void): vscode.Disposable;
  write(saved: SavedRequest): Promise<void>;
}

function requestName(target: RequestTarget, draft: RequestDraft): string {
  return `${draft.template}${draft.model ? ` ${draft.model}` : ''} on ${target.serverName}`;
}

/**
 * Saves the draft (masked) to `.inference-lab/requests/<name>.json` in the
 * first workspace folder, or to the bound file. Returns what to tell the user.
 */
export async function saveDraft(
  ctx: PanelContext,
  target: RequestTarget,
  draft: RequestDraft,
  file?: BoundFile,
): Promise<string> {
  const apiKey = await apiKeyFor(ctx, target);
  if (file) {
    const current = safeName(file.document.getText()) ?? requestName(target, draft);
    await file.write(toSavedRequest(current, target, draft, apiKey));
    return `Saved ${file.name}`;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  const name = await vscode.window.showInputBox({
    title: 'Save Request',
    prompt: `Name of the request (saved under ${SAVED_REQUESTS_DIR}/)`,
    value: requestName(target, draft),
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
  });
  if (!name) return 'Not saved';
  let uri: vscode.Uri | undefined;
  if (folder) {
    uri = vscode.Uri.joinPath(folder.uri, ...SAVED_REQUESTS_DIR.split('/'), savedFileName(name, draft.template));
    if (await exists(uri)) {
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(uri)} exists. Replace it?`,
        { modal: true },
        'Replace',
      );
      if (choice !== 'Replace') return 'Not saved';
    }
  } else {
    uri = await vscode.window.showSaveDialog({
      filters: { 'Inference Lab request': ['json'] },
      saveLabel: 'Save Request',
    });
    if (!uri) return 'Not saved';
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(uri.fsPath)));
  await vscode.workspace.fs.writeFile(
    uri,
    Buffer.from(serializeSavedRequest(toSavedRequest(name.trim(), target, draft, apiKey))),
  );
  return `Saved to ${vscode.workspace.asRelativePath(uri)}: double-click it to reopen the request`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function safeName(text: string): string | undefined {
  try {
    const n = (JSON.parse(text) as { name?: unknown }).name;
    return typeof n === 'string' && n.trim() ? n : undefined;
  } catch {
    return undefined;
  }
}
