/**
 * The whole Servers tree from what is known now: configured servers (in
 * settings order, with unusable entries shown as problems), the embedded
 * server with one child per personality, and servers discovered on this
 * machine. An empty result lets VS Code show the view's welcome content.
 */
import { containersGroup, type ContainersView } from './containerNodes';
import type { EntryProblem } from './serverEntries';
import { messageNode, serverNode } from './serverNodes';
import { mdEscape } from './tooltips';
import type { ViewNode } from './viewNode';
import type { ServerViewState } from './viewState';

export type EmbeddedPhase = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface EmbeddedView {
  phase: EmbeddedPhase;
  /** Why it failed, or where it listens. */
  detail?: string;
  servers: ServerViewState[];
}

export interface TreeInput {
  configured: ServerViewState[];
  problems: EntryProblem[];
  embedded: EmbeddedView;
  discovered: ServerViewState[];
  /** Inference-server containers of the Docker engine, once the container watcher runs. */
  containers?: ContainersView;
}

/** The command a problem node runs: the Settings editor filtered to the servers setting. */
export const openServersSettings = {
  id: 'workbench.action.openSettings',
  title: 'Open Settings',
  args: ['inferenceLab.servers'],
};

export function buildTree(input: TreeInput): ViewNode[] {
  const out: ViewNode[] = input.configured.map(serverNode);
  out.push(...input.problems.map(problemNode));
  if (input.embedded.phase !== 'stopped') out.push(embeddedGroup(input.embedded));
  const containers = input.containers && containersGroup(input.containers);
  if (containers) out.push(containers);
  if (input.discovered.length) out.push(discoveredGroup(input.discovered));
  return out;
}

function problemNode(p: EntryProblem): ViewNode {
  return {
    id: `problem:${p.index}:${p.label}`,
    role: 'problem',
    label: `Server entry ${p.label}`,
    description: 'not usable',
    tooltip: `${mdEscape(p.message)}  \nClick to open the \`inferenceLab.servers\` setting.`,
    icon: 'warning',
    color: 'list.warningForeground',
    contextValue: 'problem.settings',
    collapsible: 'none',
    command: openServersSettings,
  };
}

const phaseWords: Record<EmbeddedPhase, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  stopping: 'stopping…',
  failed: 'failed to start',
};

function embeddedGroup(e: EmbeddedView): ViewNode {
  const children = e.servers.map(serverNode);
  if (e.phase === 'failed' && e.detail)
    children.unshift(messageNode('group:embedded/error', e.detail, 'error', 'list.errorForeground'));
  const running = e.phase === 'running';
  return {
    id: 'group:embedded',
    role: 'group',
    label: 'Embedded',
    description: running ? `${e.servers.length} personalities · simulated models` : phaseWords[e.phase],
    tooltip: [
      `**Embedded inference server** — ${phaseWords[e.phase]}`,
      'Speaks the real protocols of each server kind on 127.0.0.1, with simulated models and a realistic latency model.',
      e.detail ? mdEscape(e.detail) : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
    icon: e.phase === 'starting' || e.phase === 'stopping' ? 'loading~spin' : 'beaker',
    color: e.phase === 'failed' ? 'list.errorForeground' : undefined,
    contextValue: `group.embedded.${e.phase}`,
    collapsible: 'expanded',
    children,
  };
}

function discoveredGroup(servers: ServerViewState[]): ViewNode {
  return {
    id: 'group:discovered',
    role: 'group',
    label: 'Discovered',
    description: 'on this machine',
    tooltip:
      'Inference servers answering on well-known ports of localhost. Turn this off with the setting `inferenceLab.discovery.enabled`.',
    icon: 'broadcast',
    contextValue: 'group.discovered',
    collapsible: 'expanded',
    children: servers.map(serverNode),
  };
}
