import * as vscode from 'vscode';
import type { DetectResult } from '../../../core/servers/detect';
import { uniqueId, type ServerEntry } from '../../../core/servers/view/serverEntries';
import {
  cleanServerUrl,
  defaultServerName,
  parseModelList,
  serverUrlProblem,
} from '../../../core/servers/view/urlInput';
import { toAbortSignal } from '../../platform/cancellation';
import { readServerSettings, saveServerEntry } from '../serverSettings';
import { pickKind } from './kindPick';
import { errorText, nodeOf, type ServerArg, type ServersCommandContext } from './commandContext';

const steps = 4;
const title = (n: number, what: string) => `Add Server (${n}/${steps}): ${what}`;

/**
 * Add Server: URL (checked as typed) → detection, shown for confirmation or
 * overridden in a quick pick → name → optional API key (secret storage only).
 * Invoked on a discovered server, the URL is filled in. Resolves to the new id.
 */
export async function addServer(ctx: ServersCommandContext, arg?: ServerArg): Promise<string | undefined> {
  const prefill = nodeOf(ctx, arg)?.copyText ?? (typeof arg === 'string' && /^https?:/i.test(arg) ? arg : undefined);
  const typed = await vscode.window.showInputBox({
    title: title(1, 'URL'),
    prompt: 'Base URL of the inference server (its HTTP port), e.g. http://localhost:8000',
    value: prefill ?? 'http://localhost:8000',
    validateInput: serverUrlProblem,
    ignoreFocusOut: true,
  });
  if (typed === undefined) return undefined;
  const url = cleanServerUrl(typed);
  let apiKey: string | undefined;
  let allowSelfSigned = false;
  let found = await detect(url, { apiKey, allowSelfSigned });
  if (!found) return undefined;
  if (found.error?.kind === 'tls' && (await confirmSelfSigned(url, found.evidence))) {
    allowSelfSigned = true;
    found = await detect(url, { apiKey, allowSelfSigned });
  }
  if (found?.outcome === 'auth-failed') {
    apiKey = await askApiKey(
      title(1, 'API key needed to detect'),
      'The server asks for an API key. It is stored in secret storage, never in settings.',
    );
    if (apiKey) found = await detect(url, { apiKey, allowSelfSigned });
  }
  if (!found) return undefined;
  const kind = await pickKind(title(2, 'confirm the kind'), found);
  if (!kind) return undefined;
  const { kindLabels } = await import('../../../core/servers/registry.js');
  const models = kind === 'tfserving' ? await askModels() : undefined;
  if (models === null) return undefined;
  const name = await vscode.window.showInputBox({
    title: title(3, 'name'),
    prompt: 'Name shown in the Servers view',
    value: defaultServerName(kind === 'auto' ? undefined : kindLabels[kind], found.baseUrl ?? url),
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  if (apiKey === undefined)
    apiKey = await askApiKey(
      title(4, 'API key (optional)'),
      'Leave empty when the server needs none. Stored in secret storage, never in settings.',
    );
  if (apiKey === undefined) return undefined;
  const taken = readServerSettings().servers.servers.map((s) => s.id);
  const entry: ServerEntry = {
    id: uniqueId(name, taken),
    name: name.trim(),
    url: found.baseUrl ?? url,
    kind,
    models,
    allowSelfSigned,
  };
  // The key first, so the first probe of the new entry already sends it.
  await ctx.apiKeys.set(entry.id, apiKey);
  try {
    await saveServerEntry(entry);
  } catch (e) {
    await ctx.apiKeys.delete(entry.id);
    throw e;
  }
  ctx.log.info(`server added: ${entry.id} (${entry.kind}) at ${entry.url}`);
  void ctx.refreshAll().then(() => reveal(ctx, `cfg:${entry.id}`));
  return entry.id;
}

async function detect(
  url: string,
  opts: { apiKey?: string; allowSelfSigned: boolean },
): Promise<DetectResult | undefined> {
  const { detectServer } = await import('../../../core/servers/detect.js');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Detecting the server at ${url}…`, cancellable: true },
    async (_p, token) => {
      const { signal, dispose } = toAbortSignal(token);
      try {
        return await detectServer(url, { signal, apiKey: opts.apiKey, allowSelfSigned: opts.allowSelfSigned });
      } catch (e) {
        if (!token.isCancellationRequested) void vscode.window.showErrorMessage(`Detection failed: ${errorText(e)}`);
        return undefined;
      } finally {
        dispose();
      }
    },
  );
}

async function confirmSelfSigned(url: string, why: string): Promise<boolean> {
  const yes = 'Accept self-signed certificate';
  const pick = await vscode.window.showWarningMessage(
    `${why}\n\nAccept a self-signed certificate for ${url} only?`,
    { modal: true },
    yes,
  );
  return pick === yes;
}

/** The key typed (possibly empty), or undefined when cancelled. */
function askApiKey(boxTitle: string, prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: boxTitle,
    prompt,
    password: true,
    placeHolder: 'API key (Authorization: Bearer …)',
    ignoreFocusOut: true,
  });
}

/** Model names for TF Serving (it cannot list them); null when cancelled. */
async function askModels(): Promise<string[] | null> {
  const v = await vscode.window.showInputBox({
    title: 'TF Serving model names',
    prompt: 'TF Serving cannot list its models: enter the names it serves (comma-separated), to check their readiness.',
    placeHolder: 'resnet50, half_plus_two',
    ignoreFocusOut: true,
  });
  return v === undefined ? null : parseModelList(v);
}

async function reveal(ctx: ServersCommandContext, id: string): Promise<void> {
  const ref = ctx.provider.refOf(id);
  if (ref && ctx.view.visible)
    await ctx.view.reveal(ref, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
}
