import * as vscode from 'vscode';
import { ResultsPanel } from '../resultsPanel';
import type { RunItem } from '../runsTree';
import { runIdArg, selectedRuns, type BenchCommandContext } from './benchContext';

/** The commands of the Benchmark Runs view: open, compare, rename, delete, baseline, export. */

export function openRun(ctx: BenchCommandContext, item?: RunItem | string): void {
  const id = runIdArg(item);
  if (id) ResultsPanel.show(ctx.context, ctx.service, [id]);
}

export async function compareRuns(ctx: BenchCommandContext, item?: RunItem, items?: readonly RunItem[]): Promise<void> {
  let ids = selectedRuns(ctx, item, items).map((i) => i.run.id);
  if (ids.length < 2) {
    const all = await ctx.service.list();
    const picked = await vscode.window.showQuickPick(
      all.map((r) => ({
        label: r.name,
        description: `${r.group} · ${r.status}${r.baseline ? ' · baseline' : ''}`,
        id: r.id,
        picked: ids.includes(r.id) || !!r.baseline,
      })),
      { canPickMany: true, placeHolder: 'Pick two or more runs to compare (the baseline is the reference)' },
    );
    ids = picked?.map((p) => p.id) ?? [];
  }
  if (ids.length < 2) return void vscode.window.showInformationMessage('Pick at least two runs to compare.');
  ResultsPanel.show(ctx.context, ctx.service, ids, `Compare ${ids.length} runs`);
}

export async function renameRun(ctx: BenchCommandContext, item?: RunItem): Promise<void> {
  const target = selectedRuns(ctx, item)[0];
  if (!target) return;
  const name = await vscode.window.showInputBox({
    prompt: 'New name of the run',
    value: target.run.name,
    validateInput: (v) => (v.trim() ? undefined : 'A name cannot be empty'),
  });
  if (!name) return;
  await (await ctx.service.store()).rename(target.run.id, name);
  ctx.service.fireChanged();
}

export async function deleteRuns(ctx: BenchCommandContext, item?: RunItem, items?: readonly RunItem[]): Promise<void> {
  const targets = selectedRuns(ctx, item, items);
  if (!targets.length) return;
  const ok = await vscode.window.showWarningMessage(
    targets.length === 1
      ? `Delete the run "${targets[0].run.name}" and its raw records?`
      : `Delete ${targets.length} runs and their raw records?`,
    { modal: true },
    'Delete',
  );
  if (ok !== 'Delete') return;
  const store = await ctx.service.store();
  for (const t of targets)
    await store.delete(t.run.id).catch((e) => vscode.window.showErrorMessage(`${t.run.name}: ${(e as Error).message}`));
  ctx.service.fireChanged();
}

export async function toggleBaseline(ctx: BenchCommandContext, item?: RunItem): Promise<void> {
  const target = selectedRuns(ctx, item)[0];
  if (!target) return;
  await (await ctx.service.store()).setBaseline(target.run.id, !target.run.baseline);
  ctx.service.fireChanged();
}

export async function exportRun(
  ctx: BenchCommandContext,
  item?: RunItem | string,
  kind?: 'csv' | 'markdown' | 'json',
): Promise<string | undefined> {
  const id = runIdArg(item) ?? selectedRuns(ctx)[0]?.run.id;
  if (!id) return;
  const k =
    kind ??
    ((await vscode.window.showQuickPick(['csv', 'markdown', 'json'], { placeHolder: 'Export as' })) as
      'csv' | 'markdown' | 'json' | undefined);
  if (!k) return;
  const panel =
    ResultsPanel.all().find((p) => p.runIds.length === 1 && p.runIds[0] === id) ??
    ResultsPanel.show(ctx.context, ctx.service, [id]);
  return (await panel.exportRun(id, k)).toString();
}

/** Import Results…: peer tools' result files become runs of the store (src/core/results/import). */
export async function importRuns(ctx: BenchCommandContext, files?: vscode.Uri[] | vscode.Uri): Promise<string[]> {
  const uris =
    (files ? (Array.isArray(files) ? files : [files]) : undefined) ??
    (await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Import',
      title: 'Import results of vllm bench serve, GuideLLM, AIPerf, GenAI-Perf or inference-perf',
      filters: { 'Result files': ['json', 'jsonl', 'yaml', 'yml', 'csv'] },
    }));
  if (!uris?.length) return [];
  const { importIntoStore } = await import('../../../core/results/import/peerImport.js');
  const store = await ctx.service.store();
  const ids: string[] = [];
  for (const uri of uris) {
    try {
      ids.push((await importIntoStore(store, uri.fsPath)).id);
    } catch (e) {
      void vscode.window.showErrorMessage(`Import Results: ${(e as Error).message}`);
    }
  }
  ctx.service.fireChanged();
  if (ids.length) ResultsPanel.show(ctx.context, ctx.service, ids);
  return ids;
}
