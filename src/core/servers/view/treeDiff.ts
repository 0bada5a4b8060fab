/**
 * Which nodes changed between two renderings of the tree, so the host fires
 * `onDidChangeTreeData` for those alone: a refresh that finds nothing new
 * repaints nothing, and one changed server repaints only its subtree (VS Code
 * re-reads a fired element and its children).
 */
import { walk, type ViewNode } from './viewNode';

export interface TreeChange {
  /** The root list changed (a node added, removed or moved at top level): fire `undefined`. */
  root: boolean;
  /** The topmost changed nodes' ids (none of them under another); empty when `root`. */
  changed: string[];
}

interface Flat {
  sig: string;
  childIds: string;
  parent?: string;
}

/** Everything a node shows by itself (not its children, not its probe-time stamp). */
function signature(n: ViewNode): string {
  const { children: _c, stamp: _s, ...own } = n;
  return JSON.stringify(own);
}

function flatten(nodes: readonly ViewNode[]): Map<string, Flat> {
  const out = new Map<string, Flat>();
  for (const { node, parent } of walk(nodes)) {
    out.set(node.id, {
      sig: signature(node),
      childIds: (node.children ?? []).map((c) => c.id).join('\n'),
      parent: parent?.id,
    });
  }
  return out;
}

export function diffTrees(prev: readonly ViewNode[], next: readonly ViewNode[]): TreeChange {
  // Only a change of the top-level list itself needs a full refresh; a root node is fired like any other.
  if (prev.length !== next.length || prev.some((n, i) => n.id !== next[i].id)) return { root: true, changed: [] };
  const before = flatten(prev);
  const after = flatten(next);
  const changed = new Set<string>();
  for (const [id, a] of after) {
    const b = before.get(id);
    // A node new under an existing parent shows up through its parent's child list.
    if (b && (b.sig !== a.sig || b.childIds !== a.childIds || b.parent !== a.parent)) changed.add(id);
  }
  const top = [...changed].filter((id) => {
    for (let p = after.get(id)?.parent; p !== undefined; p = after.get(p)?.parent) if (changed.has(p)) return false;
    return true;
  });
  return { root: false, changed: top };
}
