import * as vscode from 'vscode';
import type { DetectResult } from '../../../core/servers/detect';
import type { ServerKind } from '../../../core/servers/types';

type KindItem = vscode.QuickPickItem & { serverKind?: ServerKind | 'auto' };

const outcomeIcons: Record<DetectResult['outcome'], string> = {
  recognized: '$(check)',
  unreachable: '$(error)',
  'auth-failed': '$(lock)',
  unrecognized: '$(question)',
};

/**
 * The kind quick pick: what detection found comes first and is selected (so
 * Enter confirms it), every kind can be chosen by hand below it, and "auto"
 * re-detects on every probe.
 */
export async function pickKind(
  title: string,
  found: DetectResult | undefined,
  current?: ServerKind | 'auto',
): Promise<ServerKind | 'auto' | undefined> {
  const { kindLabels, serverKinds } = await loadKinds();
  const items: KindItem[] = [];
  const auto: KindItem = {
    label: '$(sync) Detect on every probe (auto)',
    description: current === 'auto' ? 'current' : undefined,
    serverKind: 'auto',
  };
  if (found) {
    const label = found.kind
      ? `${kindLabels[found.kind]}${found.version ? ` ${found.version}` : ''}`
      : 'Detect the kind on every probe (auto)';
    items.push({
      label: `${outcomeIcons[found.outcome]} ${label}`,
      description: found.kind ? 'detected' : found.outcome === 'unreachable' ? 'not reachable now' : 'not detected',
      detail: found.evidence,
      serverKind: found.kind ?? 'auto',
    });
  }
  items.push({ label: 'Choose the kind by hand', kind: vscode.QuickPickItemKind.Separator });
  if (!found || found.kind) items.push(auto);
  for (const k of serverKinds)
    items.push({ label: kindLabels[k], description: k === current ? 'current' : k, serverKind: k });
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: found ? 'Press Enter to confirm the detected kind, or choose another' : 'Choose the kind',
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked?.serverKind;
}

async function loadKinds() {
  const [{ kindLabels }, { serverKinds }] = await Promise.all([
    import('../../../core/servers/registry.js'),
    import('../../../core/servers/types.js'),
  ]);
  return { kindLabels, serverKinds };
}
