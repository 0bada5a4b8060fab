import * as vscode from 'vscode';
import type { RunArgs } from '../pickRun';
import { startRun } from '../startRun';
import { runIdArg, type BenchCommandContext } from './benchContext';

/** Run Benchmark…: palette, server, model and container nodes, or code with `RunArgs`. */
export function runBenchmark(ctx: BenchCommandContext, args?: RunArgs): Promise<string | undefined> {
  return ctx.run(args ?? {}, true);
}

/** Run benchmark (CodeLens, explorer): the spec file given, or the active editor's. */
export async function runSpecFile(ctx: BenchCommandContext, uri?: vscode.Uri): Promise<string | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) return void vscode.window.showErrorMessage('Open a *.bench.json or *.bench.yaml file first.');
  if (!vscode.workspace.isTrusted)
    return void vscode.window.showErrorMessage('Benchmark specs from the workspace run only in a trusted workspace.');
  const doc = await vscode.workspace.openTextDocument(target);
  const { parseSpecText } = await import('../../../core/bench/specFile.js');
  let spec;
  try {
    spec = parseSpecText(doc.getText(), vscode.workspace.asRelativePath(target));
  } catch (e) {
    return void vscode.window.showErrorMessage((e as Error).message.replace(/\n\s*/g, ' · '));
  }
  const apiKey = spec.apiKeyEnv ? process.env[spec.apiKeyEnv] : undefined;
  const name = `${vscode.workspace.asRelativePath(target)} ${new Date().toLocaleTimeString()}`;
  const meta = await startRun(ctx.context, ctx.service, {
    spec,
    name,
    server: { url: spec.url, model: spec.model },
    apiKey,
  });
  return meta?.id;
}

/** Cancel a running benchmark: the one given, the only one, or a pick. */
export async function cancelRun(ctx: BenchCommandContext, arg?: unknown): Promise<void> {
  const ids = [...ctx.service.running.keys()];
  const id =
    runIdArg(arg) ??
    (ids.length === 1 ? ids[0] : await vscode.window.showQuickPick(ids, { placeHolder: 'Cancel which run?' }));
  if (!id) return void (ids.length ? undefined : vscode.window.showInformationMessage('No benchmark is running.'));
  ctx.service.running.get(id)?.cancel();
}
