import * as vscode from 'vscode';
import { rememberSecret } from '../platform/logger';
import type { LaunchOptions, ServerPreset } from '../../core/docker/presets/presetTypes';

/** The Hugging Face token's fixed secret-storage key. */
export const hfTokenKey = 'inferenceLab.containers.hfToken';

/** Secret-storage key of a secret env variable of container launches (HF_TOKEN has its fixed key). */
export function secretKey(name: string): string {
  return name === 'HF_TOKEN' ? hfTokenKey : `inferenceLab.containers.secret.${name}`;
}

/** The secret env names a launch uses: the preset's own (HF_TOKEN, …) and the extra ones the options name. */
export function secretNames(preset: ServerPreset, options: LaunchOptions): string[] {
  return [...new Set([...preset.env.filter((e) => e.secret).map((e) => e.name), ...(options.secretEnv ?? [])])];
}

/**
 * The values the engine gets at create time, from SecretStorage. They are
 * never logged, written to settings, labels or rendered commands; the core
 * masks them in the container's log lines.
 */
export async function secretValues(secrets: vscode.SecretStorage, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = await secrets.get(secretKey(name));
    rememberSecret(v);
    if (v) out[name] = v;
  }
  return out;
}

/** Asks for a secret's value (password box); empty deletes it. Resolves false when the user cancels. */
export async function askSecret(secrets: vscode.SecretStorage, name: string): Promise<boolean> {
  const stored = Boolean(await secrets.get(secretKey(name)));
  const value = await vscode.window.showInputBox({
    title: name === 'HF_TOKEN' ? 'Hugging Face token' : `Secret ${name}`,
    prompt: `${stored ? 'A value is stored; enter a new one, or leave empty to delete it.' : 'Enter the value.'} Kept in VS Code's secret storage, passed to the container as ${name}, never written to settings or logs.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return false;
  if (value.trim()) await secrets.store(secretKey(name), value.trim());
  else await secrets.delete(secretKey(name));
  return true;
}
