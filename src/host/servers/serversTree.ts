import * as vscode from 'vscode';
import { diffTrees } from '../../core/servers/view/treeDiff';
import { walk, type ViewNode } from '../../core/servers/view/viewNode';
import type { Logger } from '../../core/util/logger';
import type { ServersService } from './serversService';
import { toTreeItem, type NodeRef } from './treeItems';

/**
 * The Servers view's data provider. It renders the service's nodes and, on
 * each change, fires only the topmost nodes whose content changed (a refresh
 * that found nothing new repaints nothing). Model tensors load on expand.
 */
export class ServersTreeProvider implements vscode.TreeDataProvider<NodeRef>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NodeRef | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ViewNode[] | undefined;
  private readonly nodes = new Map<string, ViewNode>();
  private readonly parents = new Map<string, string | undefined>();
  private readonly refs = new Map<string, NodeRef>();
  /** Ids of nodes loaded on expand (model tensors), which a re-render does not produce. */
  private readonly loaded = new Set<string>();
  private service: ServersService | undefined;

  constructor(
    private readonly load: () => Promise<ServersService>,
    private readonly log: Logger,
  ) {}

  /** Re-renders from the service and fires the changed nodes. */
  update(): void {
    if (!this.service || !this.roots) return;
    const next = this.service.tree();
    const diff = diffTrees(this.roots, next);
    this.index(next);
    if (diff.root) return this.changed.fire(undefined);
    for (const id of diff.changed) {
      const ref = this.refs.get(id);
      if (ref) this.changed.fire(ref);
    }
  }

  /** The current node of a ref (commands receive refs from menus). */
  node(ref: NodeRef | undefined): ViewNode | undefined {
    return ref && this.nodes.get(ref.id);
  }

  /** The ref of a node id, for `TreeView.reveal`. */
  refOf(id: string): NodeRef | undefined {
    return this.nodes.has(id) ? this.ref(id) : undefined;
  }

  getTreeItem(ref: NodeRef): vscode.TreeItem {
    const node = this.nodes.get(ref.id);
    return node ? toTreeItem(node) : new vscode.TreeItem('(removed)');
  }

  async getChildren(ref?: NodeRef): Promise<NodeRef[]> {
    if (!ref) {
      try {
        this.service ??= await this.load();
      } catch (e) {
        this.log.error(`Servers view: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
      if (!this.roots) this.index(this.service.tree());
      return (this.roots ?? []).map((n) => this.ref(n.id));
    }
    const node = this.nodes.get(ref.id);
    if (!node) return [];
    if (node.children) return node.children.map((c) => this.ref(c.id));
    if (node.role === 'model' && node.serverKey && node.model && this.service) {
      const kids = await this.service.modelChildren(node.id, node.serverKey, node.model);
      for (const { node: k, parent } of walk(kids)) {
        this.add(k, parent?.id ?? node.id);
        this.loaded.add(k.id);
      }
      return kids.map((k) => this.ref(k.id));
    }
    return [];
  }

  getParent(ref: NodeRef): NodeRef | undefined {
    const p = this.parents.get(ref.id);
    return p === undefined ? undefined : this.ref(p);
  }

  private index(roots: ViewNode[]): void {
    this.roots = roots;
    const lazy = [...this.loaded].map((id) => ({ node: this.nodes.get(id), parent: this.parents.get(id) }));
    this.nodes.clear();
    this.parents.clear();
    this.loaded.clear();
    for (const { node, parent } of walk(roots)) this.add(node, parent?.id);
    // Loaded tensors stay while their model is still there.
    for (const { node, parent } of lazy) {
      if (node && parent !== undefined && this.nodes.has(parent)) {
        this.add(node, parent);
        this.loaded.add(node.id);
      }
    }
    for (const id of [...this.refs.keys()]) if (!this.nodes.has(id)) this.refs.delete(id);
  }

  private add(node: ViewNode, parent: string | undefined): void {
    this.nodes.set(node.id, node);
    this.parents.set(node.id, parent);
  }

  private ref(id: string): NodeRef {
    let r = this.refs.get(id);
    if (!r) {
      r = { id };
      this.refs.set(id, r);
    }
    return r;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
