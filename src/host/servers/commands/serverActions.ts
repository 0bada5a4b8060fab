import * as vscode from 'vscode';
import { toAbortSignal } from '../../platform/cancellation';
import { removeServerEntry } from '../serverSettings';
import { errorText, nodeOf, resolveServer, type ServerArg, type ServersCommandContext } from './commandContext';
import { CommandIds, ViewIds } from '../../../shared/ids';
import { redactUrl } from '../../../shared/redact';

/** Remove Server: asks first; deletes the settings entry and its API key. */
export async function removeServer(
  ctx: ServersCommandContext,
  arg?: ServerArg,
  opts: { confirm?: boolean } = {},
): Promise<boolean> {
  const server = await resolveServer(ctx, arg, ['configured']);
  if (!server) return false;
  if (opts.confirm !== false) {
    const remove = 'Remove';
    const answer = await vscode.window.showWarningMessage(
      `Remove the server "${server.identity.name}"?`,
      { modal: true, detail: `${server.identity.url}\nIts API key, if any, is deleted from secret storage.` },
      remove,
    );
    if (answer !== remove) return false;
  }
  await removeServerEntry(server.config.id);
  await ctx.apiKeys.delete(server.config.id);
  (await ctx.service()).forget(server.identity.key);
  ctx.log.info(`server removed: ${server.config.id}`);
  return true;
}

/** Refresh: one server (inline action) or everything (view title). */
export async function refreshServers(ctx: ServersCommandContext, arg?: ServerArg): Promise<void> {
  const node = nodeOf(ctx, arg);
  if (node?.serverKey) {
    await vscode.window.withProgress({ location: { viewId: ViewIds.servers } }, async () =>
      (await ctx.service()).refresh([node.serverKey!]),
    );
    return;
  }
  await vscode.window.withProgress({ location: { viewId: ViewIds.servers } }, () => ctx.refreshAll());
}

/** Copy URL: the node's address (an endpoint, a server's base URL). */
export async function copyServerUrl(ctx: ServersCommandContext, arg?: ServerArg): Promise<string | undefined> {
  const node = nodeOf(ctx, arg);
  // Copied without userinfo or secret query parameters, like the node shows it.
  const text = node?.copyText ?? (await resolveServer(ctx, arg).then((s) => s && redactUrl(s.identity.url)));
  if (!text) return undefined;
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(clippy) Copied ${text}`, 3000);
  return text;
}

/** Open Metrics: a fresh scrape, raw Prometheus text in an untitled editor. */
export async function openServerMetrics(
  ctx: ServersCommandContext,
  arg?: ServerArg,
): Promise<vscode.TextDocument | undefined> {
  const server = await resolveServer(ctx, arg);
  if (!server) return undefined;
  const service = await ctx.service();
  const title = `Scraping the metrics of ${server.identity.name}…`;
  const snap = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_p, token) => {
      const { signal, dispose } = toAbortSignal(token);
      try {
        return await service.metrics(server, signal);
      } catch (e) {
        if (!token.isCancellationRequested)
          void vscode.window.showErrorMessage(`Metrics of "${server.identity.name}": ${errorText(e)}`);
        return undefined;
      } finally {
        dispose();
      }
    },
  );
  if (!snap) return undefined;
  if (!snap.available) {
    void vscode.window.showInformationMessage(
      `"${server.identity.name}" has no metrics to show: ${snap.reason ?? 'no Prometheus endpoint'}`,
    );
    return undefined;
  }
  // A '#' line is a comment in the Prometheus text format, so the document stays valid exposition text.
  const header = `# Scraped from ${snap.url ?? server.identity.url} at ${new Date().toISOString()} (${snap.sampleCount} samples)\n`;
  const languages = await vscode.languages.getLanguages();
  const doc = await vscode.workspace.openTextDocument({
    content: header + snap.raw,
    language: languages.includes('prometheus') ? 'prometheus' : 'plaintext',
  });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Start Embedded Server (the command runs it even when automatic start is off). */
export async function startEmbedded(ctx: ServersCommandContext): Promise<Record<string, string> | undefined> {
  try {
    const endpoints = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the embedded inference server…' },
      () => ctx.embedded.start(),
    );
    void ctx.refreshAll();
    return endpoints;
  } catch (e) {
    void vscode.window
      .showErrorMessage(errorText(e), 'Show Log')
      .then((a) => a && vscode.commands.executeCommand(CommandIds.showLog));
    return undefined;
  }
}

export async function stopEmbedded(ctx: ServersCommandContext): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Stopping the embedded inference server…' },
    () => ctx.embedded.stop(),
  );
}
