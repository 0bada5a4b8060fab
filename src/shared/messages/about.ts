import type { ReadyMessage } from './protocol';

/** What the About / status panel shows: facts read at the moment of the request. */
export interface AboutStatus {
  version: string;
  vscodeVersion: string;
  uiKind: 'desktop' | 'web';
  remoteName: string | null;
  activationMs: number;
  nodeVersion: string;
  platform: string;
  workspaceTrusted: boolean;
  logLevel: string;
  settings: Array<{ key: string; value: string }>;
  components: Array<{ name: string; state: string; detail?: string }>;
}

export type AboutHostToWebview =
  { type: 'status'; status: AboutStatus; refreshedAt: string } | { type: 'error'; message: string };

export type AboutWebviewToHost = ReadyMessage | { type: 'refresh' } | { type: 'showLog' } | { type: 'openSettings' };
