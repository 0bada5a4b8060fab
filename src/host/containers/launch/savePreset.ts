import * as vscode from 'vscode';
import { builtinPresets } from '../../../core/docker/presets/presets';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import { presetsFolder, type WorkspacePresets } from '../workspacePresets';
import { suggestPresetId } from '../../../core/containers/launch/choices';

const idPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Save the preset in which folder's ${presetsFolder}?` });
}

/**
 * Saves the preset and the launch choices as `.inference-lab/presets/<id>.json`
 * (no secrets: those stay in secret storage). The container name is left out,
 * so launching the saved preset twice does not collide.
 */
export async function savePresetFlow(
  presets: WorkspacePresets,
  preset: ServerPreset,
  o: LaunchOptions,
): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showErrorMessage(`Open a folder first: presets are saved in its ${presetsFolder} folder.`);
    return undefined;
  }
  const folder = await pickFolder();
  if (!folder) return undefined;
  const id = await vscode.window.showInputBox({
    title: 'Save as workspace preset',
    prompt: `File name and id of the preset (saved as ${presetsFolder}/<id>.json).`,
    value: suggestPresetId(preset, o),
    ignoreFocusOut: true,
    validateInput: (v) =>
      !idPattern.test(v)
        ? 'Lower-case letters, digits and "-" (up to 63), starting with a letter or digit.'
        : builtinPresets.some((p) => p.id === v)
          ? `"${v}" is a built-in preset id: choose another.`
          : undefined,
  });
  if (!id) return undefined;
  const target = vscode.Uri.joinPath(folder.uri, presetsFolder, `${id}.json`);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (
    exists &&
    (await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(target)} exists. Replace it?`,
      { modal: true },
      'Replace',
    )) !== 'Replace'
  )
    return undefined;
  const isBuiltin = builtinPresets.some((p) => p.id === preset.id);
  const { name: _name, ...options } = o;
  const uri = await presets.save(
    folder,
    { ...preset, id, label: isBuiltin ? `${preset.label} (${id})` : preset.label },
    options,
  );
  void vscode.window
    .showInformationMessage(`Saved the preset to ${vscode.workspace.asRelativePath(uri)}.`, 'Open')
    .then((a) => a && vscode.window.showTextDocument(uri));
  return uri;
}
