import * as vscode from 'vscode';
import type { ViewNode } from '../../core/servers/view/viewNode';

/**
 * The handle VS Code holds for a tree node. One object per id for as long as
 * the node exists: VS Code keys its cache by element identity, so a targeted
 * `fire(ref)` only works with the very object it was given before.
 */
export interface NodeRef {
  readonly id: string;
}

const collapsible: Record<ViewNode['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(node: ViewNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, collapsible[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  item.contextValue = node.contextValue;
  if (node.icon)
    item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
  if (node.tooltip) {
    // Not trusted: server-supplied text is escaped and no command links are allowed.
    const md = new vscode.MarkdownString(node.stamp ? `${node.tooltip}\n\n${node.stamp}` : node.tooltip, true);
    md.isTrusted = false;
    item.tooltip = md;
  }
  if (node.command)
    item.command = { command: node.command.id, title: node.command.title, arguments: node.command.args };
  if (node.role === 'server')
    item.accessibilityInformation = { label: `${node.label}, ${node.description || 'ready'}` };
  return item;
}
