import * as vscode from 'vscode';
import type { ServerEntry } from '../../../core/servers/view/serverEntries';
import {
  cleanServerUrl,
  grpcAddressProblem,
  parseModelList,
  serverUrlProblem,
  timeoutProblem,
} from '../../../core/servers/view/urlInput';
import { readServerSettings, saveServerEntry } from '../serverSettings';
import { resolveServer, type ServerArg, type ServersCommandContext } from './commandContext';
import { pickKind } from './kindPick';

type Edit = vscode.QuickPickItem & {
  apply(e: ServerEntry, ctx: ServersCommandContext): Promise<ServerEntry | undefined>;
};

/** A text field edit: an input box prefilled with the current value; empty clears optional fields. */
function field(
  cur: ServerEntry,
  label: string,
  key: 'name' | 'url' | 'managementUrl' | 'metricsUrl' | 'grpcAddress',
  check: (v: string) => string | undefined,
  detail: string,
): Edit {
  return {
    label,
    detail,
    description: cur[key],
    async apply(e) {
      const v = await vscode.window.showInputBox({
        title: `Edit "${e.name}": ${label}`,
        value: e[key] ?? '',
        validateInput: check,
        ignoreFocusOut: true,
      });
      if (v === undefined) return undefined;
      const text = v.trim();
      return { ...e, [key]: key === 'url' ? cleanServerUrl(text) : text || undefined };
    },
  };
}

const optionalUrl = (v: string) => (v.trim() ? serverUrlProblem(v) : undefined);

function edits(cur: ServerEntry, hasKey: boolean): Edit[] {
  return [
    field(cur, '$(edit) Name', 'name', (v) => (v.trim() ? undefined : 'Enter a name.'), 'Shown in the Servers view'),
    field(cur, '$(link) URL', 'url', serverUrlProblem, 'Base URL of the HTTP (inference) port'),
    {
      label: '$(symbol-enum) Kind',
      description: cur.kind ?? 'auto',
      detail: 'Which protocol to speak, or auto-detect',
      apply: async (e) =>
        ((k) => (k ? { ...e, kind: k } : undefined))(
          await pickKind(`Edit "${e.name}": kind`, undefined, e.kind ?? 'auto'),
        ),
    },
    {
      label: hasKey ? '$(key) Replace API key' : '$(key) Set API key',
      detail: 'Stored in secret storage, never in settings',
      async apply(e, ctx) {
        const key = await vscode.window.showInputBox({
          title: `Edit "${e.name}": API key`,
          password: true,
          prompt: 'Sent as Authorization: Bearer …',
          ignoreFocusOut: true,
        });
        if (!key?.trim()) return undefined;
        await ctx.apiKeys.set(e.id, key);
        return e;
      },
    },
    ...(hasKey
      ? [
          {
            label: '$(trash) Remove API key',
            detail: 'Delete it from secret storage',
            apply: async (e: ServerEntry, ctx: ServersCommandContext) => (await ctx.apiKeys.delete(e.id), e),
          },
        ]
      : []),
    {
      label: '$(shield) Self-signed TLS',
      description: cur.allowSelfSigned ? 'accepted' : 'refused',
      detail: 'Accept a self-signed certificate for this server only (toggle)',
      apply: async (e) => ({ ...e, allowSelfSigned: !e.allowSelfSigned }),
    },
    {
      label: '$(list-unordered) Model names',
      description: cur.models?.join(', '),
      detail: 'Needed for TF Serving, which cannot list its models',
      async apply(e) {
        const v = await vscode.window.showInputBox({
          title: `Edit "${e.name}": model names`,
          value: (e.models ?? []).join(', '),
          prompt: 'Comma-separated; empty for none',
          ignoreFocusOut: true,
        });
        return v === undefined ? undefined : { ...e, models: parseModelList(v) };
      },
    },
    field(
      cur,
      '$(server) Management URL',
      'managementUrl',
      optionalUrl,
      'TorchServe management API (default: the inference port + 1)',
    ),
    field(
      cur,
      '$(graph) Metrics URL',
      'metricsUrl',
      optionalUrl,
      'Full URL of the Prometheus endpoint when it is not <url>/metrics',
    ),
    field(
      cur,
      '$(radio-tower) gRPC address',
      'grpcAddress',
      grpcAddressProblem,
      'host:port of the KServe v2 gRPC endpoint',
    ),
    {
      label: '$(watch) Timeout',
      description: cur.timeoutMs ? `${cur.timeoutMs} ms` : 'default',
      detail: 'Per-request limit in milliseconds',
      async apply(e) {
        const v = await vscode.window.showInputBox({
          title: `Edit "${e.name}": timeout (ms)`,
          value: e.timeoutMs ? String(e.timeoutMs) : '',
          validateInput: timeoutProblem,
          ignoreFocusOut: true,
        });
        return v === undefined ? undefined : { ...e, timeoutMs: v.trim() ? Number(v) : undefined };
      },
    },
  ];
}

/** Edit Server: one field at a time, from a quick pick of what can change. */
export async function editServer(ctx: ServersCommandContext, arg?: ServerArg): Promise<void> {
  const server = await resolveServer(ctx, arg, ['configured']);
  if (!server) return;
  const entry = readServerSettings().servers.servers.find((s) => s.id === server.config.id);
  if (!entry) return;
  const items = edits(entry, await ctx.apiKeys.has(entry.id));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Edit "${entry.name}"`,
    placeHolder: 'What to change',
    matchOnDetail: true,
  });
  if (!picked) return;
  const next = await picked.apply(entry, ctx);
  if (!next) return;
  await saveServerEntry(next);
  ctx.log.info(`server edited: ${entry.id} (${picked.label.replace(/^\$\([^)]*\)\s*/, '')})`);
  void ctx.refreshAll();
}
