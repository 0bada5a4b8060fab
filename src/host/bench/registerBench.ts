import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { ResultsPanelState } from '../../shared/messages/results';
import { CommandIds } from '../commands/ids';
import type { ServersApi } from '../servers/registerServers';
import { BenchService } from './benchService';
import { pickRun, type RunArgs } from './pickRun';
import { ResultsPanel } from './resultsPanel';
import { RunItem, RunsTreeProvider } from './runsTree';
import { registerSpecDiagnostics, SpecCodeLensProvider, specSelector } from './specSupport';
import { startRun } from './startRun';

export interface BenchApi {
  service: BenchService;
  /** Runs a benchmark without asking anything (tests, other panels); resolves when it ends. */
  run(args: RunArgs): Promise<string | undefined>;
}

/**
 * The benchmark side of the extension: Run Benchmark (palette, server and
 * model nodes, spec files), the Benchmark Runs view, result panels (restored
 * after a reload) and spec-file support. The engine loads on first run.
 */
export function registerBench(context: vscode.ExtensionContext, log: Logger, servers: ServersApi): BenchApi {
  const service = new BenchService(context, log);
  const runs = new RunsTreeProvider(service);
  const view = vscode.window.createTreeView('inferenceLab.views.runs', { treeDataProvider: runs, canSelectMany: true });

  const run = async (args: RunArgs = {}, interactive = true): Promise<string | undefined> => {
    const choice = interactive ? await pickRun(context, servers, args) : await pickRun(context, servers, { preset: 'quick', ...args });
    if (!choice) return undefined;
    const apiKey = choice.serverId ? (await servers.directory.config(choice.serverId))?.apiKey : undefined;
    const meta = await startRun(context, service, { ...choice, apiKey });
    return meta?.id;
  };
  const selected = (item?: RunItem, items?: readonly RunItem[]): RunItem[] => (items?.length ? [...items] : item ? [item] : [...view.selection]);
  const runIdArg = (x: unknown): string | undefined => (x instanceof RunItem ? x.run.id : typeof x === 'string' ? x : (x as { runId?: string })?.runId);

  context.subscriptions.push(
    service,
    runs,
    view,
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: ResultsPanelState | undefined) => ResultsPanel.revive(panel, context, service, state),
    }),
    vscode.languages.registerCodeLensProvider(specSelector, new SpecCodeLensProvider()),
    vscode.commands.registerCommand(CommandIds.benchRun, (args?: RunArgs) => run(args ?? {})),
    vscode.commands.registerCommand(CommandIds.benchRunSpec, async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) return void vscode.window.showErrorMessage('Open a *.bench.json or *.bench.yaml file first.');
      if (!vscode.workspace.isTrusted) return void vscode.window.showErrorMessage('Benchmark specs from the workspace run only in a trusted workspace.');
      const doc = await vscode.workspace.openTextDocument(target);
      const { parseSpecText } = await import('../../core/bench/specFile.js');
      let spec;
      try {
        spec = parseSpecText(doc.getText(), vscode.workspace.asRelativePath(target));
      } catch (e) {
        return void vscode.window.showErrorMessage((e as Error).message.replace(/\n\s*/g, ' · '));
      }
      const apiKey = spec.apiKeyEnv ? process.env[spec.apiKeyEnv] : undefined;
      const name = `${vscode.workspace.asRelativePath(target)} ${new Date().toLocaleTimeString()}`;
      const meta = await startRun(context, service, { spec, name, server: { url: spec.url, model: spec.model }, apiKey });
      return meta?.id;
    }),
    vscode.commands.registerCommand(CommandIds.benchCancel, async (arg?: unknown) => {
      const ids = [...service.running.keys()];
      const id = runIdArg(arg) ?? (ids.length === 1 ? ids[0] : (await vscode.window.showQuickPick(ids, { placeHolder: 'Cancel which run?' })));
      if (!id) return void (ids.length ? undefined : vscode.window.showInformationMessage('No benchmark is running.'));
      service.running.get(id)?.cancel();
    }),
    vscode.commands.registerCommand(CommandIds.runsOpen, (item?: RunItem | string) => {
      const id = runIdArg(item);
      if (id) ResultsPanel.show(context, service, [id]);
    }),
    vscode.commands.registerCommand(CommandIds.runsCompare, async (item?: RunItem, items?: readonly RunItem[]) => {
      let ids = selected(item, items).map((i) => i.run.id);
      if (ids.length < 2) {
        const all = await service.list();
        const picked = await vscode.window.showQuickPick(
          all.map((r) => ({ label: r.name, description: `${r.group} · ${r.status}${r.baseline ? ' · baseline' : ''}`, id: r.id, picked: ids.includes(r.id) || !!r.baseline })),
          { canPickMany: true, placeHolder: 'Pick two or more runs to compare (the baseline is the reference)' },
        );
        ids = picked?.map((p) => p.id) ?? [];
      }
      if (ids.length < 2) return void vscode.window.showInformationMessage('Pick at least two runs to compare.');
      ResultsPanel.show(context, service, ids, `Compare ${ids.length} runs`);
    }),
    vscode.commands.registerCommand(CommandIds.runsRename, async (item?: RunItem) => {
      const target = selected(item)[0];
      if (!target) return;
      const name = await vscode.window.showInputBox({ prompt: 'New name of the run', value: target.run.name, validateInput: (v) => (v.trim() ? undefined : 'A name cannot be empty') });
      if (!name) return;
      await (await service.store()).rename(target.run.id, name);
      service.fireChanged();
    }),
    vscode.commands.registerCommand(CommandIds.runsDelete, async (item?: RunItem, items?: readonly RunItem[]) => {
      const targets = selected(item, items);
      if (!targets.length) return;
      const ok = await vscode.window.showWarningMessage(
        targets.length === 1 ? `Delete the run "${targets[0].run.name}" and its raw records?` : `Delete ${targets.length} runs and their raw records?`,
        { modal: true },
        'Delete',
      );
      if (ok !== 'Delete') return;
      const store = await service.store();
      for (const t of targets) await store.delete(t.run.id).catch((e) => vscode.window.showErrorMessage(`${t.run.name}: ${(e as Error).message}`));
      service.fireChanged();
    }),
    vscode.commands.registerCommand(CommandIds.runsSetBaseline, async (item?: RunItem) => {
      const target = selected(item)[0];
      if (!target) return;
      await (await service.store()).setBaseline(target.run.id, !target.run.baseline);
      service.fireChanged();
    }),
    vscode.commands.registerCommand(CommandIds.runsExport, async (item?: RunItem | string, kind?: 'csv' | 'markdown' | 'json') => {
      const id = runIdArg(item) ?? selected()[0]?.run.id;
      if (!id) return;
      const k = kind ?? ((await vscode.window.showQuickPick(['csv', 'markdown', 'json'], { placeHolder: 'Export as' })) as 'csv' | 'markdown' | 'json' | undefined);
      if (!k) return;
      const panel = ResultsPanel.all().find((p) => p.runIds.length === 1 && p.runIds[0] === id) ?? ResultsPanel.show(context, service, [id]);
      return (await panel.exportRun(id, k)).toString();
    }),
    vscode.commands.registerCommand(CommandIds.runsRefresh, () => service.fireChanged()),
  );
  registerSpecDiagnostics(context);
  return { service, run: (args) => run(args, false) };
}
