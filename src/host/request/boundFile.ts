import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestDraft, RequestTarget } from '../../shared/request';
import {
  parseSavedRequest,
  serializeSavedRequest,
  targetFromSaved,
  type SavedRequest,
} from '../../core/request/savedRequest';
import { escapeHtml } from '../panels/webviewHtml';
import type { BoundFile } from './savedFiles';
import type { RequestServers } from '../../core/request/requestServers';

/**
 * The target of a saved request: the live server with the same id when the
 * Servers view has it (embedded servers move between free ports), else the
 * URL in the file.
 */
export function resolveSavedTarget(saved: SavedRequest, servers: RequestServers | undefined): RequestTarget {
  const fromFile = targetFromSaved(saved);
  const live = servers?.find(saved.server.serverId);
  return live ? { ...live.target, model: fromFile.model } : fromFile;
}

type Bound = { target: RequestTarget; draft: RequestDraft; file: BoundFile & vscode.Disposable } | { error: string };

export function bindFile(document: vscode.TextDocument, servers: RequestServers | undefined): Bound {
  const name = path.basename(document.uri.fsPath);
  let saved: SavedRequest;
  try {
    saved = parseSavedRequest(document.getText(), name);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  let lastWritten = document.getText();
  const listeners = new Set<(s: { target: RequestTarget; draft: RequestDraft }) => void>();
  const sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document || e.contentChanges.length === 0 || document.getText() === lastWritten) return;
    try {
      const next = parseSavedRequest(document.getText(), name);
      for (const l of listeners) l({ target: resolveSavedTarget(next, servers), draft: next.draft });
    } catch {
      // Half-typed JSON in a text editor: keep the panel as it is until the file parses again.
    }
  });
  const file: BoundFile & vscode.Disposable = {
    name,
    document,
    onDidChangeExternally(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    async write(s) {
      const text = serializeSavedRequest(s);
      lastWritten = text;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      await document.save();
    },
    dispose: () => {
      sub.dispose();
      listeners.clear();
    },
  };
  return { target: resolveSavedTarget(saved, servers), draft: saved.draft, file };
}

/** A static page for a file that is not a valid saved request (no script needed to read it). */
export function fileErrorHtml(document: vscode.TextDocument, error: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
<body>
<h2>This file cannot be opened as a request</h2>
<p><strong>${escapeHtml(error)}</strong></p>
<p>Fix it as text: <em>Reopen Editor With… → Text Editor</em> on ${escapeHtml(vscode.workspace.asRelativePath(document.uri))}.</p>
</body></html>`;
}
