import * as vscode from 'vscode';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import type { WorkspacePresets } from '../workspacePresets';
import { editAdvanced } from './advancedOptions';
import { launchSummary } from '../../../core/containers/launch/choices';
import { mainPortName } from '../../../core/containers/launch/ports';
import { optionsProblem, renderLaunch, type RenderFormat } from '../../../core/containers/launch/renderLaunch';
import { savePresetFlow } from './savePreset';

export interface ReviewContext {
  secrets: vscode.SecretStorage;
  presets: WorkspacePresets;
  engine: { isLocal: boolean; advertisedHost: string };
}

type Action = 'launch' | 'advanced' | RenderFormat | 'save';

/** Copies the launch as `docker run` or a compose service; a problem with the options is shown instead. */
export async function copyRendered(
  format: RenderFormat,
  preset: ServerPreset,
  o: LaunchOptions,
  engine: { isLocal: boolean },
): Promise<string | undefined> {
  try {
    const text = renderLaunch(format, preset, o, engine);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(
      `$(clippy) Copied the ${format === 'run' ? 'docker run command' : 'compose service'}`,
      3000,
    );
    return text;
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
}

/**
 * The last step: launch, or first adjust the advanced options, copy the
 * equivalent `docker run` / compose service, or save everything as a
 * workspace preset. Returns the options to launch with, undefined on Escape.
 */
export async function review(
  ctx: ReviewContext,
  preset: ServerPreset,
  start: LaunchOptions,
): Promise<LaunchOptions | undefined> {
  let o = start;
  for (;;) {
    const host = ctx.engine.isLocal
      ? o.bindAddress && o.bindAddress !== '0.0.0.0'
        ? o.bindAddress
        : '127.0.0.1'
      : ctx.engine.advertisedHost;
    const url = `http://${host}:${o.hostPorts?.[mainPortName(preset)] ?? '?'}`;
    const items: Array<vscode.QuickPickItem & { action: Action }> = [
      { label: '$(rocket) Launch', detail: launchSummary(preset, o, url), action: 'launch' },
      {
        label: '$(gear) Advanced options…',
        description: 'shared memory, volumes, environment, arguments, tag, secrets',
        action: 'advanced',
      },
      { label: '$(copy) Copy docker run', description: 'the same launch as a command line', action: 'run' },
      { label: '$(file-code) Copy Compose service', description: 'for a docker-compose.yml', action: 'compose' },
      { label: '$(save) Save as workspace preset…', description: '.inference-lab/presets', action: 'save' },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Launch ${preset.label}: review`,
      placeHolder: 'Launch, or adjust first',
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (pick.action === 'launch') {
      const problem = optionsProblem(preset, o);
      if (!problem) return o;
      void vscode.window.showErrorMessage(problem);
    } else if (pick.action === 'advanced') o = await editAdvanced(ctx.secrets, preset, o);
    else if (pick.action === 'save') await savePresetFlow(ctx.presets, preset, o);
    else await copyRendered(pick.action, preset, o, ctx.engine);
  }
}
