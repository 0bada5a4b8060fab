/**
 * The "Containers" group of the Servers tree: inference-server containers of
 * the Docker engine (ours, found by their `inference-lab.*` labels, and those
 * of known server images started elsewhere). A running container that
 * publishes its server's HTTP port carries that server's probed state, so it
 * shows models, metrics and endpoints like any other server.
 */
import { kindLabels } from '../registry';
import { isServerKind } from '../types';
import { serverNode } from './serverNodes';
import { mdEscape } from './tooltips';
import type { ViewNode } from './viewNode';
import { statusLooks, type ServerViewState } from './viewState';
import type { TreeServer } from './identities';

/** What the tree shows of one container (from the engine's list, never holding env values). */
export interface ContainerFacts {
  id: string;
  name: string;
  image: string;
  /** Engine state word: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  /** Engine's human status ("Up 3 minutes", "Exited (1) 2 hours ago"). */
  status: string;
  /** Launched by Inference Lab. */
  managed: boolean;
  presetId?: string;
  serverKind?: string;
  /** "all", "0,1", "none", or undefined when unknown. */
  gpus?: string;
  /** Published ports as `host:port→container` words, e.g. "127.0.0.1:8000→8000". */
  ports: string[];
  /** Key of the server this container serves (`ctr:<name>`), when its HTTP port is published and it runs. */
  serverKey?: string;
  /** A launch from this window is still waiting for it to become ready. */
  launching?: boolean;
}

export interface ContainerEntry {
  facts: ContainerFacts;
  /** The probed state of its server, when it serves one. */
  server?: ServerViewState;
}

export interface ContainersView {
  /** Where the engine is, safe to show. */
  endpoint: string;
  containers: ContainerEntry[];
  /** Why the list may be stale (the event stream was lost), shown as a warning child. */
  problem?: string;
}

/** What the Servers view asks of the container watcher. */
export interface ContainerServerSource {
  /** Servers of running containers, probed like any other server. */
  servers(): TreeServer[];
  /** The group's content given the servers' states; undefined hides the group. */
  view(stateOf: (s: TreeServer) => ServerViewState): ContainersView | undefined;
}

const stateIcons: Record<string, { icon: string; color?: string }> = {
  created: { icon: 'vm-outline' },
  running: { icon: 'vm-running', color: 'testing.iconPassed' },
  paused: { icon: 'debug-pause', color: 'list.warningForeground' },
  restarting: { icon: 'sync~spin', color: 'list.warningForeground' },
  removing: { icon: 'loading~spin' },
  exited: { icon: 'vm-outline', color: 'disabledForeground' },
  dead: { icon: 'error', color: 'list.errorForeground' },
};

/** "CPU", "all GPUs", "GPU 0,1", "GPUs ?" */
export function gpuWords(gpus: string | undefined): string {
  if (gpus === undefined) return 'GPUs unknown';
  if (gpus === 'none') return 'CPU';
  if (gpus === 'all') return 'all GPUs';
  return `GPU ${gpus}`;
}

/** Running and serving: the server's status decides the look; otherwise the container's state does. */
function look(e: ContainerEntry): { icon: string; color?: string; word: string } {
  const { state } = e.facts;
  // A server loading its model answers nothing (or 503) for minutes: that is "starting", not an error.
  if (e.facts.launching && state === 'running') return { icon: 'loading~spin', word: 'starting' };
  if (state === 'running' && e.server) {
    const l = statusLooks[e.server.status];
    return { icon: l.icon, color: l.color, word: l.label.toLowerCase() };
  }
  return { ...(stateIcons[state] ?? stateIcons.dead), word: state };
}

function factNodes(e: ContainerEntry, key: string): ViewNode[] {
  const f = e.facts;
  const prop = (name: string, label: string, value: string, icon: string): ViewNode => ({
    id: `${key}/container:${name}`,
    role: 'property',
    label,
    description: value,
    tooltip: mdEscape(`${label}: ${value}`),
    icon,
    contextValue: 'container.fact',
    collapsible: 'none',
    serverKey: f.serverKey,
    copyText: value,
  });
  return [
    prop('status', 'Container', `${f.status} · ${f.id.slice(0, 12)}`, 'vm'),
    prop('image', 'Image', f.image, 'package'),
    prop('ports', 'Ports', f.ports.join(', ') || 'none published', 'plug'),
    prop('gpus', 'GPUs', gpuWords(f.gpus), 'circuit-board'),
  ];
}

function containerTooltip(e: ContainerEntry, l: { icon: string; word: string }): string {
  const f = e.facts;
  const kind =
    f.serverKind && isServerKind(f.serverKind) ? kindLabels[f.serverKind] : (f.serverKind ?? 'unknown server');
  const lines = [
    `**${mdEscape(f.name)}** — ${mdEscape(f.image)}`,
    '',
    `$(${l.icon}) **${mdEscape(l.word)}** · ${mdEscape(f.status)}`,
    '',
    `${mdEscape(kind)} · ${mdEscape(gpuWords(f.gpus))}`,
  ];
  if (f.ports.length) lines.push('', `Ports: ${mdEscape(f.ports.join(', '))}`);
  if (e.server?.error && e.server.status !== 'ready') lines.push('', `**Error:** ${mdEscape(e.server.error)}`);
  lines.push(
    '',
    f.managed
      ? `_Launched by Inference Lab (preset ${mdEscape(f.presetId ?? '?')})._`
      : '_A container of a known server image, started outside Inference Lab._',
  );
  return lines.join('\n');
}

/** One container: its facts first, then (when it serves) the server's models, metrics and endpoints. */
export function containerNode(e: ContainerEntry): ViewNode {
  const f = e.facts;
  const key = f.serverKey ?? `ctr:${f.name}`;
  const l = look(e);
  const served = f.state === 'running' && e.server && !f.launching ? serverNode(e.server) : undefined;
  const portWord = f.ports[0]?.replace(/→.*$/, '');
  return {
    id: key,
    role: 'container',
    label: f.name,
    description: [l.word, f.image, portWord, gpuWords(f.gpus)].filter(Boolean).join(' · '),
    tooltip: containerTooltip(e, l),
    stamp: served?.stamp,
    icon: l.icon,
    color: l.color,
    contextValue: `container.${f.managed ? 'ours' : 'other'}.${f.state}.${f.serverKind ?? 'unknown'}.${served ? e.server!.status : 'none'}`,
    collapsible: 'collapsed',
    children: [...factNodes(e, key), ...(served?.children ?? [])],
    serverKey: f.serverKey,
    copyText: e.server?.url,
  };
}

/** The group, or undefined when there is nothing to show. */
export function containersGroup(v: ContainersView): ViewNode | undefined {
  if (!v.containers.length && !v.problem) return undefined;
  const children = v.containers.map(containerNode);
  if (v.problem)
    children.unshift({
      id: 'group:containers/problem',
      role: 'message',
      label: v.problem,
      tooltip: mdEscape(v.problem),
      icon: 'warning',
      color: 'list.warningForeground',
      contextValue: 'message',
      collapsible: 'none',
    });
  const running = v.containers.filter((c) => c.facts.state === 'running').length;
  return {
    id: 'group:containers',
    role: 'group',
    label: 'Containers',
    description: `${running} of ${v.containers.length} running`,
    tooltip: `**Inference-server containers** on ${mdEscape(v.endpoint)}\n\nOurs (launched by Inference Lab) and containers of known server images. State follows the Docker event stream.`,
    icon: 'vm',
    contextValue: 'group.containers',
    collapsible: 'expanded',
    children,
  };
}
