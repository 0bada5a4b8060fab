import * as vscode from 'vscode';
import type { TreeServer } from '../../../core/servers/view/identities';
import type { ViewNode } from '../../../core/servers/view/viewNode';
import type { Logger } from '../../../core/util/logger';
import type { EmbeddedController } from '../../embedded/embeddedController';
import type { ApiKeyStore } from '../apiKeys';
import type { ServersService } from '../serversService';
import type { ServersTreeProvider } from '../serversTree';
import type { NodeRef } from '../treeItems';

/** What the Servers commands share. */
export interface ServersCommandContext {
  provider: ServersTreeProvider;
  service(): Promise<ServersService>;
  apiKeys: ApiKeyStore;
  embedded: EmbeddedController;
  view: vscode.TreeView<NodeRef>;
  log: Logger;
  /** A full probe round now (the scheduler's, so it never overlaps another). */
  refreshAll(): Promise<void>;
}

/** A tree node from a menu, or a server id when called from code or a test. */
export type ServerArg = NodeRef | string | undefined;

/**
 * The server a command is about: the node it was invoked on (any node under a
 * server counts), the server of that id, or one the user picks.
 */
export async function resolveServer(
  ctx: ServersCommandContext,
  arg: ServerArg,
  origins?: readonly TreeServer['identity']['origin'][],
): Promise<TreeServer | undefined> {
  const service = await ctx.service();
  const eligible = service.servers().filter((s) => !origins || origins.includes(s.identity.origin));
  if (typeof arg === 'string') return eligible.find((s) => s.config.id === arg || s.identity.key === arg);
  const node = ctx.provider.node(arg);
  if (node?.serverKey) return eligible.find((s) => s.identity.key === node.serverKey);
  if (!eligible.length) {
    void vscode.window.showInformationMessage(
      origins?.includes('configured') && origins.length === 1
        ? 'No servers are configured yet: use "Add Server" first.'
        : 'The Servers view holds no server yet.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    eligible.map((s) => ({ label: s.identity.name, description: s.identity.url, server: s })),
    { title: 'Choose a server', matchOnDescription: true },
  );
  return picked?.server;
}

/** The node a menu command was invoked on. */
export function nodeOf(ctx: ServersCommandContext, arg: ServerArg): ViewNode | undefined {
  return typeof arg === 'string' ? undefined : ctx.provider.node(arg);
}

/** An error in the user's words: the message, never a stack trace. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
