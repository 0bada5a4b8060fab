import * as vscode from 'vscode';
import type { PresetFile } from '../../core/docker/presets/presetFile';
import type { LaunchOptions, ServerPreset } from '../../core/docker/presets/presetTypes';
import type { Logger } from '../../core/util/logger';

/** Where a workspace keeps its presets, relative to each workspace folder. */
export const presetsFolder = '.inference-lab/presets';

export interface WorkspacePreset {
  uri: vscode.Uri;
  /** The validated file, or undefined when it is not usable. */
  file?: PresetFile;
  /** Why the file cannot be used (names the field). */
  error?: string;
}

/**
 * Presets saved in the workspace (`.inference-lab/presets/<id>.json`, the
 * core's preset-file format: preset + launch options, never secrets). Read on
 * first use and again when a file changes; the file format and its checks
 * load with `import()`, so activation does not pay for them.
 */
export class WorkspacePresets implements vscode.Disposable {
  private last: WorkspacePreset[] = [];
  private loading: Promise<WorkspacePreset[]> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(private readonly log: Logger) {}

  /** The usable presets as last read (a container's preset label may name one). */
  get presets(): ServerPreset[] {
    return this.last.flatMap((w) => (w.file ? [w.file.preset] : []));
  }

  /** The workspace's preset files; `fresh` reads them again (a file watcher event can come late). */
  all(fresh = false): Promise<WorkspacePreset[]> {
    this.watch();
    if (fresh) this.loading = undefined;
    return (this.loading ??= this.load());
  }

  /** Writes `<folder>/.inference-lab/presets/<preset.id>.json`; the core validates it first. */
  async save(folder: vscode.WorkspaceFolder, preset: ServerPreset, options: LaunchOptions): Promise<vscode.Uri> {
    const { savePresetFile } = await import('../../core/docker/presets/presetFile.js');
    const uri = vscode.Uri.joinPath(folder.uri, presetsFolder, `${preset.id}.json`);
    await savePresetFile(uri.fsPath, preset, options);
    this.loading = undefined;
    return uri;
  }

  private watch(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(`**/${presetsFolder}/*.json`);
    const stale = () => (this.loading = undefined);
    this.watcher.onDidCreate(stale);
    this.watcher.onDidChange(stale);
    this.watcher.onDidDelete(stale);
  }

  private async load(): Promise<WorkspacePreset[]> {
    const uris = (await vscode.workspace.findFiles(`${presetsFolder}/*.json`)).filter((u) => u.scheme === 'file');
    const { loadPresetFile } = await import('../../core/docker/presets/presetFile.js');
    const list = await Promise.all(
      uris.map(async (uri): Promise<WorkspacePreset> => {
        try {
          return { uri, file: await loadPresetFile(uri.fsPath) };
        } catch (e) {
          this.log.warn(`workspace preset ${vscode.workspace.asRelativePath(uri)}: ${(e as Error).message}`);
          return { uri, error: (e as Error).message };
        }
      }),
    );
    list.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
    this.last = list;
    return list;
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}
