import * as vscode from 'vscode';
import {
  parseServerEntries,
  rawHasId,
  removeRawEntry,
  upsertRawEntry,
  type ParsedEntries,
  type ServerEntry,
} from '../../core/servers/view/serverEntries';

/** The typed mirror of the servers, refresh, discovery and embedded-server settings of package.json. */
export interface ServerSettings {
  servers: ParsedEntries;
  refresh: { intervalMs: number; timeoutMs: number };
  discovery: { enabled: boolean; intervalMs: number; ports: number[] };
  embedded: { enabled: boolean; portBase: number; configFile?: string };
}

const section = 'inferenceLab';

/** Keys whose change concerns the Servers view. */
export const serverSettingKeys = ['servers', 'refresh', 'discovery', 'embeddedServer'].map((k) => `${section}.${k}`);

function num(cfg: vscode.WorkspaceConfiguration, key: string, fallback: number, min: number, max: number): number {
  const v = cfg.get<unknown>(key);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/**
 * A value as the workspace may set it. In an untrusted workspace only the
 * user's own value counts: a cloned repository must not point us at servers
 * (with the user's stored API keys) or files of its choosing.
 */
export function trustedValue<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  if (vscode.workspace.isTrusted) return cfg.get<T>(key);
  const i = cfg.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}

function portList(v: unknown): number[] | undefined {
  return Array.isArray(v) ? v.filter((p): p is number => Number.isInteger(p) && p > 0 && p < 65536) : undefined;
}

export function readServerSettings(): ServerSettings {
  const cfg = vscode.workspace.getConfiguration(section);
  // Read through inspect so a malformed user value falls back to the manifest's default list.
  const portsSetting = cfg.inspect<unknown>('discovery.ports');
  const ports = cfg.get<unknown>('discovery.ports');
  const configFile = trustedValue<string>(cfg, 'embeddedServer.configFile')?.trim();
  return {
    servers: parseServerEntries(trustedValue<unknown>(cfg, 'servers')),
    refresh: {
      intervalMs: num(cfg, 'refresh.intervalSeconds', 10, 2, 3600) * 1000,
      timeoutMs: num(cfg, 'refresh.timeoutMs', 3000, 100, 600_000),
    },
    discovery: {
      enabled: cfg.get<boolean>('discovery.enabled', true),
      intervalMs: num(cfg, 'discovery.intervalSeconds', 60, 10, 86_400) * 1000,
      ports: portList(ports) ?? portList(portsSetting?.defaultValue) ?? [],
    },
    embedded: {
      enabled: cfg.get<boolean>('embeddedServer.enabled', true),
      portBase: num(cfg, 'embeddedServer.portBase', 0, 0, 65_000),
      configFile: configFile || undefined,
    },
  };
}

/** Calls `listener` when a setting of the Servers view changes. */
export function onServerSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (serverSettingKeys.some((k) => e.affectsConfiguration(k))) listener();
  });
}

/**
 * Where an entry is written: the scope that already holds it (or, for a new
 * one, the workspace when the workspace defines the list, else the user).
 */
function targetFor(id: string | undefined): { target: vscode.ConfigurationTarget; raw: unknown } {
  const i = vscode.workspace.getConfiguration(section).inspect<unknown[]>('servers');
  const has = (list: unknown) => id !== undefined && rawHasId(list, id);
  if (has(i?.workspaceValue)) return { target: vscode.ConfigurationTarget.Workspace, raw: i?.workspaceValue };
  if (has(i?.globalValue)) return { target: vscode.ConfigurationTarget.Global, raw: i?.globalValue };
  if (i?.workspaceValue !== undefined && vscode.workspace.isTrusted)
    return { target: vscode.ConfigurationTarget.Workspace, raw: i.workspaceValue };
  return { target: vscode.ConfigurationTarget.Global, raw: i?.globalValue };
}

/** Adds or replaces a server entry (never with an API key: `toStoredEntry` drops it). */
export async function saveServerEntry(entry: ServerEntry): Promise<void> {
  const { target, raw } = targetFor(entry.id);
  await vscode.workspace.getConfiguration(section).update('servers', upsertRawEntry(raw, entry), target);
}

/** Removes the entry of that id from the scope that holds it. */
export async function removeServerEntry(id: string): Promise<void> {
  const { target, raw } = targetFor(id);
  await vscode.workspace.getConfiguration(section).update('servers', removeRawEntry(raw, id), target);
}
