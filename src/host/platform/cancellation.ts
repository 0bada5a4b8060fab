import * as vscode from 'vscode';

/**
 * Converts a CancellationToken (progress, providers) into the AbortSignal that
 * core APIs take. The returned `dispose` detaches the listener.
 */
export function toAbortSignal(token: vscode.CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const ctrl = new AbortController();
  if (!token) return { signal: ctrl.signal, dispose() {} };
  if (token.isCancellationRequested) ctrl.abort();
  const sub = token.onCancellationRequested(() => ctrl.abort());
  return { signal: ctrl.signal, dispose: () => sub.dispose() };
}
