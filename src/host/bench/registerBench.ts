import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { ResultsPanelState } from '../../shared/messages/results';
import { CommandIds, ViewIds } from '../../shared/ids';
import type { ServersApi } from '../servers/registerServers';
import { BenchService } from './benchService';
import type { Placement } from '../../core/bench/scale/placement';
import { pickPlacement } from './pickPlacement';
import { pickRun, type RunArgs } from './pickRun';
import { ResultsPanel } from './resultsPanel';
import { RunsTreeProvider, type RunItem } from './runsTree';
import { registerSpecDiagnostics, SpecCodeLensProvider, specSelector } from './specSupport';
import { startRun } from './startRun';
import { registerCommands } from '../commands/register';
import type { BenchCommandContext } from './commands/benchContext';
import { cancelRun, runBenchmark, runSpecFile } from './commands/runCommands';
import {
  compareRuns,
  deleteRuns,
  exportRun,
  importRuns,
  openRun,
  renameRun,
  toggleBaseline,
} from './commands/runsCommands';

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
  const view = vscode.window.createTreeView(ViewIds.runs, { treeDataProvider: runs, canSelectMany: true });

  const run = async (args: RunArgs, interactive: boolean, placement?: Placement): Promise<string | undefined> => {
    const choice = interactive
      ? await pickRun(context, servers, args)
      : await pickRun(context, servers, { preset: 'quick', ...args });
    if (!choice) return undefined;
    const apiKey = choice.serverId ? (await servers.directory.config(choice.serverId))?.apiKey : undefined;
    const meta = await startRun(context, service, { ...choice, apiKey, placement });
    return meta?.id;
  };
  /** Run Benchmark on…: where the load comes from first (or `args.placement`, which also skips the questions), then the usual choices. */
  const runOn = async (args: RunArgs & { placement?: Placement } = {}): Promise<string | undefined> => {
    const placement = args.placement ?? (await pickPlacement());
    if (!placement) return undefined;
    const { placement: given, ...rest } = args;
    return run(rest, given === undefined, placement);
  };
  const ctx: BenchCommandContext = { context, service, servers, view, log, run };

  context.subscriptions.push(
    service,
    runs,
    view,
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: ResultsPanelState | undefined) =>
        ResultsPanel.revive(panel, context, service, state),
    }),
    vscode.languages.registerCodeLensProvider(specSelector, new SpecCodeLensProvider()),
    registerCommands(log, {
      [CommandIds.benchRun]: (args?: RunArgs) => runBenchmark(ctx, args),
      [CommandIds.benchRunOn]: (args?: RunArgs & { placement?: Placement }) => runOn(args ?? {}),
      [CommandIds.benchRunSpec]: (uri?: vscode.Uri) => runSpecFile(ctx, uri),
      [CommandIds.benchCancel]: (arg?: unknown) => cancelRun(ctx, arg),
      [CommandIds.runsOpen]: (item?: RunItem | string) => openRun(ctx, item),
      [CommandIds.runsCompare]: (item?: RunItem, items?: readonly RunItem[]) => compareRuns(ctx, item, items),
      [CommandIds.runsRename]: (item?: RunItem) => renameRun(ctx, item),
      [CommandIds.runsDelete]: (item?: RunItem, items?: readonly RunItem[]) => deleteRuns(ctx, item, items),
      [CommandIds.runsSetBaseline]: (item?: RunItem) => toggleBaseline(ctx, item),
      [CommandIds.runsExport]: (item?: RunItem | string, kind?: 'csv' | 'markdown' | 'json') =>
        exportRun(ctx, item, kind),
      [CommandIds.runsRefresh]: () => service.fireChanged(),
      [CommandIds.runsImport]: (files?: vscode.Uri[] | vscode.Uri) => importRuns(ctx, files),
    }),
  );
  registerSpecDiagnostics(context);
  return { service, run: (args) => run(args, false) };
}
