import * as vscode from 'vscode';
import type { DockerConnectionSetting } from '../../core/docker/engine/connection';
import { trustedValue } from '../servers/serverSettings';

/** The typed mirror of the `inferenceLab.docker.*` and `inferenceLab.containers.*` settings of package.json. */
export interface ContainerSettings {
  docker: DockerConnectionSetting;
  /** Overrides every preset's health timeout (ms); undefined = the preset's own. */
  healthTimeoutMs?: number;
  /** `missing` (default), `always` or `never`. */
  pull: 'missing' | 'always' | 'never';
  /** Also list containers of known server images started outside Inference Lab. */
  showOthers: boolean;
  /** Seconds a stop waits after SIGTERM before SIGKILL. */
  stopGraceSeconds: number;
}

const section = 'inferenceLab';

/** Keys whose change concerns containers. */
export const containerSettingKeys = [`${section}.docker`, `${section}.containers`];

/** Connection settings count only as the user set them in an untrusted workspace (see trustedValue). */
export function readContainerSettings(): ContainerSettings {
  const cfg = vscode.workspace.getConfiguration(section);
  const timeout = cfg.get<number>('containers.healthTimeoutSeconds', 0);
  const pull = cfg.get<string>('containers.pull', 'missing');
  const grace = cfg.get<number>('containers.stopGraceSeconds', 10);
  return {
    docker: {
      host: trustedValue<string>(cfg, 'docker.host')?.trim() || undefined,
      certPath: trustedValue<string>(cfg, 'docker.certPath')?.trim() || undefined,
      tlsVerify: trustedValue<boolean>(cfg, 'docker.tlsVerify') ?? false,
    },
    healthTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.round(timeout * 1000) : undefined,
    pull: pull === 'always' || pull === 'never' ? pull : 'missing',
    showOthers: cfg.get<boolean>('containers.showOtherContainers', true),
    stopGraceSeconds: Number.isFinite(grace) ? Math.min(600, Math.max(0, Math.round(grace))) : 10,
  };
}

export function onContainerSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (containerSettingKeys.some((k) => e.affectsConfiguration(k))) listener();
  });
}
