/**
 * A node of the Servers tree as plain data: the host turns it into a
 * vscode.TreeItem one to one. Ids are stable across refreshes (derived from
 * the server's key and the child's name), so expansion and selection survive.
 */

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** What a node is, for the host (commands read it) and for `contextValue`. */
export type NodeRole =
  | 'server'
  | 'application'
  | 'model'
  | 'tensor'
  | 'property'
  | 'metrics'
  | 'gauge'
  | 'endpoints'
  | 'endpoint'
  | 'message'
  | 'group'
  | 'problem'
  | 'container';

export interface ViewNode {
  /** Stable, tree-unique id. */
  id: string;
  role: NodeRole;
  label: string;
  description?: string;
  /** Markdown (untrusted parts already escaped). */
  tooltip?: string;
  /**
   * A last tooltip line that changes on every probe (the probe time). The diff
   * ignores it, so a probe that found nothing new repaints nothing.
   */
  stamp?: string;
  /** Codicon id, e.g. "pass-filled", "loading~spin". */
  icon?: string;
  /** Theme color id for the icon, e.g. "testing.iconPassed". */
  color?: string;
  /** Menus match this with anchored regexes: `server.configured.vllm.ready`, `metrics.available`, … */
  contextValue: string;
  collapsible: Collapsible;
  /** Children known now. Absent on a collapsible node = loaded on expand (model tensors). */
  children?: ViewNode[];
  /** The key of the server this node belongs to (server nodes and all their descendants). */
  serverKey?: string;
  /** The model a model node stands for (its tensors load on expand). */
  model?: string;
  /** Text "Copy URL" copies from this node. */
  copyText?: string;
  /** A command run on click, with its arguments. */
  command?: { id: string; title: string; args?: unknown[] };
}

/** Depth-first walk over `nodes` and their known children. */
export function* walk(nodes: readonly ViewNode[], parent?: ViewNode): Generator<{ node: ViewNode; parent?: ViewNode }> {
  for (const node of nodes) {
    yield { node, parent };
    if (node.children) yield* walk(node.children, node);
  }
}
