import * as vscode from 'vscode';
import { builtinPresets } from '../../../core/docker/presets/presets';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import type { WorkspacePresets } from '../workspacePresets';
import type { PresetSource } from '../../../core/containers/launch/choices';

export interface ChosenPreset {
  preset: ServerPreset;
  source: PresetSource;
  /** The launch options saved with a workspace preset (empty for built-ins). */
  options: LaunchOptions;
  file?: vscode.Uri;
}

type Item = vscode.QuickPickItem & { chosen?: ChosenPreset; error?: string };

/**
 * A preset by id (built-ins first: a guide link's `"triton"` always means the
 * built-in), or the user's pick among built-in and workspace presets.
 * Unusable workspace files are listed with their error rather than hidden.
 */
export async function choosePreset(presets: WorkspacePresets, id?: string): Promise<ChosenPreset | undefined> {
  // Read now: a preset file written a moment ago must be there.
  const workspace = await presets.all(true);
  if (id !== undefined) {
    const builtin = builtinPresets.find((p) => p.id === id);
    if (builtin) return { preset: builtin, source: 'builtin', options: {} };
    const w = workspace.find((x) => x.file?.preset.id === id);
    if (w?.file) return { preset: w.file.preset, source: 'workspace', options: w.file.options, file: w.uri };
    throw new Error(
      `There is no preset "${id}": built-in presets are ${builtinPresets.map((p) => p.id).join(', ')}${workspace.length ? `; this workspace has ${workspace.flatMap((x) => (x.file ? [x.file.preset.id] : [])).join(', ')}` : ''}.`,
    );
  }
  const trusted = vscode.workspace.isTrusted;
  const items: Item[] = builtinPresets.map((p) => ({
    label: `$(vm) ${p.label}`,
    description: `${p.image}:${p.tag}`,
    detail: p.description,
    chosen: { preset: p, source: 'builtin', options: {} },
  }));
  if (workspace.length) items.push({ label: 'Workspace presets', kind: vscode.QuickPickItemKind.Separator });
  for (const w of workspace) {
    const where = vscode.workspace.asRelativePath(w.uri);
    if (!w.file) {
      items.push({ label: `$(warning) ${where}`, description: 'not usable', detail: w.error, error: w.error });
      continue;
    }
    const p = w.file.preset;
    const detail = trusted
      ? p.description
      : `$(shield) Untrusted workspace: this preset cannot launch containers. ${p.description}`;
    items.push({
      label: `$(file) ${p.label}`,
      description: where,
      detail,
      chosen: { preset: p, source: 'workspace', options: w.file.options, file: w.uri },
    });
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Launch Inference Server: server',
    placeHolder: 'Which inference server?',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (pick?.error) {
    void vscode.window.showErrorMessage(pick.error);
    return undefined;
  }
  return pick?.chosen;
}
