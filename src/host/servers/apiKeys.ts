import * as vscode from 'vscode';
import { rememberSecret } from '../platform/logger';

/** The secret-storage key of a server's API key (typed, one place). */
export const apiKeySecretKey = (serverId: string): string => `inferenceLab.server.${serverId}.apiKey`;

/**
 * API keys of configured servers, in VS Code's SecretStorage (the OS keychain
 * on desktop). Never in settings, never logged: callers get the key only to
 * put it in a request header.
 */
export class ApiKeyStore {
  /** Fires with the server id whose key was set or deleted (also from another window). */
  readonly onDidChange: vscode.Event<string>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = (listener, thisArgs, disposables) =>
      secrets.onDidChange(
        (e) => {
          const m = /^inferenceLab\.server\.(.+)\.apiKey$/.exec(e.key);
          if (m) listener.call(thisArgs, m[1]);
        },
        undefined,
        disposables,
      );
  }

  async get(serverId: string): Promise<string | undefined> {
    const key = (await this.secrets.get(apiKeySecretKey(serverId))) || undefined;
    rememberSecret(key);
    return key;
  }

  async has(serverId: string): Promise<boolean> {
    return (await this.get(serverId)) !== undefined;
  }

  /** Stores `key`, or deletes the stored one when `key` is empty. */
  async set(serverId: string, key: string | undefined): Promise<void> {
    rememberSecret(key);
    if (key?.trim()) await this.secrets.store(apiKeySecretKey(serverId), key.trim());
    else await this.secrets.delete(apiKeySecretKey(serverId));
  }

  delete(serverId: string): Thenable<void> {
    return this.secrets.delete(apiKeySecretKey(serverId));
  }
}
