/**
 * What a failed launch (or container action) shows: the core's message and
 * fix in one notification line, the buttons that help with that failure, and
 * the guide page behind "Learn more". Pure, so every kind is unit-tested.
 */
import type { ContainerErrorKind } from '../../docker/errors';
import { kinds } from '../../servers/registry';

export type ErrorAction = 'cpu' | 'port' | 'output' | 'settings' | 'learn';

export const actionLabels: Record<ErrorAction, string> = {
  cpu: 'Launch on CPU',
  port: 'Choose Another Port',
  output: 'Show Output',
  settings: 'Docker Settings',
  learn: 'Learn more',
};

export interface ErrorLike {
  kind: ContainerErrorKind;
  message: string;
  fix?: string;
  details: { canRetryOnCpu?: boolean; lastLogLines?: string[] };
}

export interface ErrorPresentation {
  text: string;
  actions: ErrorAction[];
  /** Guide topic for "Learn more". */
  topic: string;
}

/** A server kind's guide page (its descriptor in the registry). */
const serverPages: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(kinds).map(([k, d]) => [k, d.guidePage]),
);

const containersPage = 'deployment/containers';

function topicFor(kind: ContainerErrorKind, serverKind: string | undefined): string {
  switch (kind) {
    case 'no-gpu-runtime':
      return `${containersPage}#gpu-access`;
    case 'image-not-found':
    case 'registry-unreachable':
      return `${containersPage}#images-per-server`;
    case 'health-timeout':
      return `${containersPage}#health-checks`;
    case 'exited-during-start':
      return (serverKind && serverPages[serverKind]) ?? `${containersPage}#model-storage`;
    default:
      return containersPage;
  }
}

/** The notification for a failure. Multi-line core messages (last log lines) become one line; the output keeps them all. */
export function presentError(e: ErrorLike, serverKind?: string): ErrorPresentation {
  const head = e.message.split('\nLast log lines:')[0].trim();
  const tail = e.details.lastLogLines?.length
    ? ` Last log lines: ${e.details.lastLogLines
        .slice(-3)
        .map((l) => l.trim())
        .join(' | ')}`
    : '';
  const text = [`${head}${tail}`, e.fix].filter(Boolean).join(' ');
  const actions: ErrorAction[] = [];
  if (e.kind === 'no-gpu-runtime' && e.details.canRetryOnCpu) actions.push('cpu');
  if (e.kind === 'port-in-use') actions.push('port');
  if (e.kind === 'exited-during-start' || e.kind === 'health-timeout' || e.kind === 'engine-error')
    actions.push('output');
  if (e.kind === 'engine-unavailable' || e.kind === 'permission-denied' || e.kind === 'timeout')
    actions.push('settings');
  if (e.kind !== 'cancelled') actions.push('learn');
  return { text, actions, topic: topicFor(e.kind, serverKind) };
}
