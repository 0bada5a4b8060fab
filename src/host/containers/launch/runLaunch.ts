import * as vscode from 'vscode';
import type { ContainerService } from '../../../core/docker/engine/containerService';
import type { ContainerError } from '../../../core/docker/errors';
import { toContainerError } from '../../../core/docker/engine/errorMapping';
import { launch, type LaunchedServer } from '../../../core/docker/launch/launch';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import type { Logger } from '../../../core/util/logger';
import { toAbortSignal } from '../../platform/cancellation';
import { secretNames, secretValues } from '../containerSecrets';
import type { ContainerSettings } from '../containerSettings';
import { LaunchProgressTracker } from '../../../core/containers/launch/progressTracker';

export interface RunDeps {
  secrets: vscode.SecretStorage;
  settings: () => ContainerSettings;
  log: Logger;
  /** The channel container output goes to while a launch waits for health. */
  output: () => vscode.OutputChannel;
  /** The tree shows this container as starting while `active`. */
  launching?: (containerName: string, active: boolean) => void;
}

export type RunResult =
  { status: 'ready'; server: LaunchedServer } | { status: 'failed'; error: ContainerError } | { status: 'cancelled' };

/**
 * One launch under a cancellable progress notification: pull percentage and
 * bytes, then each phase, then the health wait with the container's last log
 * line. Log lines also go to the output channel. Cancel aborts the core's
 * launch, which removes a container it already created.
 */
export async function runLaunch(
  deps: RunDeps,
  service: ContainerService,
  preset: ServerPreset,
  options: LaunchOptions,
): Promise<RunResult> {
  const s = deps.settings();
  const effective: LaunchOptions = {
    ...options,
    healthTimeoutMs: options.healthTimeoutMs ?? s.healthTimeoutMs,
    pull: options.pull ?? s.pull,
  };
  const secrets = await secretValues(deps.secrets, secretNames(preset, options));
  const out = deps.output();
  out.appendLine(
    `— ${new Date().toLocaleTimeString()} launching ${preset.label} (${preset.id}) on ${service.endpoint}`,
  );
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Launching ${preset.label}`, cancellable: true },
    async (progress, token) => {
      const { signal, dispose } = toAbortSignal(token);
      const tracker = new LaunchProgressTracker();
      let lastMessage = '';
      let created: string | undefined;
      try {
        const server = await launch(preset, effective, {
          service,
          signal,
          secrets,
          log: deps.log,
          onProgress: (p) => {
            if (p.containerName && !created && p.phase !== 'ready') deps.launching?.((created = p.containerName), true);
            progress.report(tracker.next(p));
            if (p.message !== lastMessage) out.appendLine(`[${p.phase}] ${(lastMessage = p.message)}`);
          },
          onLog: (line) => {
            out.appendLine(`  ${line.text}`);
            const step = tracker.log(line.text);
            if (step) progress.report(step);
          },
        });
        out.appendLine(
          `✓ ${server.containerName} is ready at ${server.baseUrl} after ${(server.readyAfterMs / 1000).toFixed(1)} s`,
        );
        deps.log.info(
          `container ${server.containerName} (${server.image}) ready at ${server.baseUrl}${server.pulled ? ' after a pull' : ''}`,
        );
        return { status: 'ready', server };
      } catch (e) {
        const error = toContainerError(e, {
          op: 'launch',
          endpoint: service.endpoint,
          abortReason: signal.aborted ? signal.reason : undefined,
        });
        if (error.kind === 'cancelled') {
          out.appendLine('✗ cancelled');
          return { status: 'cancelled' };
        }
        out.appendLine(`✗ ${error.message}${error.fix ? `\n  ${error.fix}` : ''}`);
        deps.log.error(`launch ${preset.id}: ${error.kind}: ${error.message.split('\n')[0]}`);
        return { status: 'failed', error };
      } finally {
        if (created) deps.launching?.(created, false);
        dispose();
      }
    },
  );
}
