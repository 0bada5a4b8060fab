import * as vscode from 'vscode';
import { CommandIds } from '../shared/ids';
import { registerCommands } from './commands/register';
import { AboutPanel } from './panels/aboutPanel';
import { channelLogger } from './platform/logger';
import { registerServers, type ServersApi } from './servers/registerServers';
import { registerGuide } from './guide/registerGuide';
import { registerBench, type BenchApi } from './bench/registerBench';
import { registerContainers } from './containers/registerContainers';
import { registerRequestPanel } from './request/register';

const activationStart = performance.now();
let activationMs = 0;
let servers: ServersApi | undefined;

/** activate() only composes services and registers contributions; heavy modules load lazily. */
export function activate(context: vscode.ExtensionContext): {
  activationMs: number;
  servers: ServersApi;
  bench: BenchApi;
  /** Where the "Inference Lab" log channel writes its file (`Inference Lab.log` in it); tests read it. */
  logUri: vscode.Uri;
} {
  const t0 = performance.now();
  const channel = vscode.window.createOutputChannel('Inference Lab', { log: true });
  context.subscriptions.push(channel);
  const log = channelLogger(channel);
  registerGuide(context, log);

  // Servers view, its commands and the embedded server (`servers.embedded`: endpoints for other panels).
  servers = registerServers(context, log);
  // Benchmark runs, result panels and spec files (the engine loads on first run).
  const bench = registerBench(context, log, servers);
  // GPU containers: Launch Inference Server and the Containers group of the Servers view (dockerode loads lazily).
  registerContainers(context, log, servers);
  // Request panel, its panel serializer and the saved-request editor (the panel code loads on first use).
  registerRequestPanel(context, { log, servers: () => servers });

  const status = {
    activationMs: () => activationMs,
    components: () => [...(servers?.components() ?? [])],
  };
  context.subscriptions.push(
    registerCommands(log, {
      [CommandIds.showAbout]: () => AboutPanel.show(context, status, log),
      [CommandIds.showLog]: () => channel.show(true),
    }),
  );

  activationMs = performance.now() - t0;
  log.debug(
    `activated in ${activationMs.toFixed(1)} ms (module load to ready ${(performance.now() - activationStart).toFixed(1)} ms)`,
  );
  return { activationMs, servers, bench, logUri: context.logUri };
}

export async function deactivate(): Promise<void> {
  await servers?.shutdown();
}
