import type * as vscode from 'vscode';
import type { Logger } from '../../../core/util/logger';
import type { ServersApi } from '../../servers/registerServers';
import type { BenchService } from '../benchService';
import type { RunArgs } from '../pickRun';
import { RunItem } from '../runsTree';

/** What the benchmark commands share. */
export interface BenchCommandContext {
  context: vscode.ExtensionContext;
  service: BenchService;
  servers: ServersApi;
  view: vscode.TreeView<RunItem>;
  log: Logger;
  /** Picks (or, not interactive, completes with the quick preset) and starts a run; resolves to its id. */
  run(args: RunArgs, interactive: boolean): Promise<string | undefined>;
}

/** The runs a command is about: the multi-selection it was invoked with, its node, or the view's selection. */
export function selectedRuns(ctx: BenchCommandContext, item?: RunItem, items?: readonly RunItem[]): RunItem[] {
  return items?.length ? [...items] : item ? [item] : [...ctx.view.selection];
}

/** A run id from a tree node, a string, or `{ runId }` (tests, other panels). */
export function runIdArg(x: unknown): string | undefined {
  return x instanceof RunItem ? x.run.id : typeof x === 'string' ? x : (x as { runId?: string })?.runId;
}
