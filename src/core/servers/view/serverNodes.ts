/**
 * A server node and its children: models (tensors load on expand), a Metrics
 * node with the key gauges, and the endpoints. A server that could not be
 * probed shows its error as a child too, so it is visible without hovering.
 */
import { kindLabels } from '../registry';
import type { ModelInfo, ModelMetadata } from '../types';
import { gaugeLines, gaugeSummary } from './gaugeText';
import { mdEscape, metadataTooltip, modelTooltip, probeStamp, serverTooltip, tensorDescription } from './tooltips';
import { modelNodeId } from './nodeIds';
import { terminalSafeLine as shown } from '../../util/terminalText';
import { redactUrl } from '../../../shared/redact';
import type { ViewNode } from './viewNode';
import { statusLooks, type EndpointView, type ServerViewState } from './viewState';

const shortStatus: Record<ServerViewState['status'], string> = {
  ready: '',
  'live-not-ready': 'not ready',
  unreachable: 'unreachable',
  'auth-failed': 'authentication failed',
  unrecognized: 'unrecognized',
  probing: 'probing…',
};

export function serverNode(s: ServerViewState): ViewNode {
  const look = statusLooks[s.status];
  // Version, model names and messages come from the server: control characters are shown escaped, never raw.
  const kind = s.kind ? `${kindLabels[s.kind]}${s.version ? ` ${shown(s.version)}` : ''}` : '';
  return {
    id: s.key,
    role: 'server',
    label: s.name,
    description: [kind, shortStatus[s.status]].filter(Boolean).join(' · '),
    tooltip: serverTooltip(s),
    stamp: probeStamp(s),
    icon: look.icon,
    color: look.color,
    contextValue: `server.${s.origin}.${s.kind ?? 'unknown'}.${s.status}`,
    collapsible: 'collapsed',
    children: serverChildren(s),
    serverKey: s.key,
    // Shown and copied without userinfo or secret query parameters (requests still use the configured URL).
    copyText: redactUrl(s.url),
  };
}

function serverChildren(s: ServerViewState): ViewNode[] {
  const out: ViewNode[] = [];
  if (s.error && s.status !== 'ready')
    out.push(messageNode(`${s.key}/error`, s.error, 'error', 'list.errorForeground', s.key));
  else if (s.detail && s.status === 'live-not-ready')
    out.push(messageNode(`${s.key}/detail`, s.detail, 'warning', 'list.warningForeground', s.key));
  if (s.status === 'ready' || s.status === 'live-not-ready') {
    if (s.modelsError)
      out.push(messageNode(`${s.key}/models-error`, s.modelsError, 'warning', 'list.warningForeground', s.key));
    else if (!s.models.length)
      out.push(messageNode(`${s.key}/no-models`, 'No models loaded', 'info', undefined, s.key));
    out.push(...modelNodes(s.key, s.models));
    out.push(metricsNode(s));
  }
  if (s.endpoints.length) out.push(endpointsNode(s.key, s.endpoints));
  return out;
}

export function messageNode(
  id: string,
  text: string,
  icon: string,
  color: string | undefined,
  serverKey?: string,
): ViewNode {
  return {
    id,
    role: 'message',
    label: shown(text),
    tooltip: mdEscape(text),
    icon,
    color,
    contextValue: 'message',
    collapsible: 'none',
    serverKey,
  };
}

/**
 * The models in the server's order; models an application serves (Ray Serve) sit under one node per application,
 * named with its route prefix, at the place of the application's first model.
 */
function modelNodes(serverKey: string, models: readonly ModelInfo[]): ViewNode[] {
  const out: ViewNode[] = [];
  const apps = new Map<string, ViewNode>();
  for (const m of models) {
    if (!m.application) {
      out.push(modelNode(serverKey, m));
      continue;
    }
    let app = apps.get(m.application.name);
    if (!app) {
      app = applicationNode(serverKey, m.application);
      apps.set(m.application.name, app);
      out.push(app);
    }
    app.children!.push(modelNode(serverKey, m));
  }
  return out;
}

function applicationNode(serverKey: string, a: NonNullable<ModelInfo['application']>): ViewNode {
  return {
    id: `${serverKey}/app:${a.name}`,
    role: 'application',
    label: shown(a.name),
    description: shown(`application · route ${a.route}`),
    tooltip: `**${mdEscape(a.name)}** (application)  \nRoute prefix: ${mdEscape(a.route)}  \nIts models answer under ${mdEscape(a.route)}.`,
    icon: 'layers',
    contextValue: 'application',
    collapsible: 'expanded',
    serverKey,
    children: [],
  };
}

function modelNode(serverKey: string, m: ModelInfo): ViewNode {
  const state = m.ready === undefined ? (m.state ?? '') : m.ready ? 'ready' : (m.state ?? 'not ready');
  const versions = m.versions?.length ? `v${m.versions.join(', v')}` : '';
  return {
    id: modelNodeId(serverKey, m.name),
    role: 'model',
    label: shown(m.name),
    description: shown([state, versions].filter(Boolean).join(' · ')),
    tooltip: modelTooltip(m.name, m),
    icon: 'package',
    color: m.ready === undefined ? undefined : m.ready ? 'testing.iconPassed' : 'list.warningForeground',
    contextValue: `model.${m.ready === undefined ? 'unknown' : m.ready ? 'ready' : 'not-ready'}`,
    collapsible: 'collapsed',
    serverKey,
    model: m.name,
    copyText: m.name,
  };
}

/** The children of an expanded model: its inputs, outputs and non-tensor facts. */
export function metadataNodes(modelNodeId: string, serverKey: string, md: ModelMetadata): ViewNode[] {
  const tensor =
    (dir: 'input' | 'output') =>
    (t: ModelMetadata['inputs'][number]): ViewNode => ({
      id: `${modelNodeId}/${dir}:${t.name}`,
      role: 'tensor',
      label: shown(t.name),
      description: `${dir} · ${tensorDescription(t)}`,
      tooltip: `**${mdEscape(t.name)}** (${dir})  \n${mdEscape(tensorDescription(t))}${t.shape?.includes(-1) ? '  \n−1 = any size' : ''}`,
      icon: dir === 'input' ? 'sign-in' : 'sign-out',
      contextValue: `tensor.${dir}`,
      collapsible: 'none',
      serverKey,
    });
  const props: ViewNode[] = Object.entries({ ...(md.platform ? { platform: md.platform } : {}), ...md.properties }).map(
    ([k, v]) => ({
      id: `${modelNodeId}/prop:${k}`,
      role: 'property',
      label: shown(k),
      description: shown(String(v)),
      tooltip: metadataTooltip(md),
      icon: 'info',
      contextValue: 'property',
      collapsible: 'none',
      serverKey,
    }),
  );
  const tensors = [...md.inputs.map(tensor('input')), ...md.outputs.map(tensor('output'))];
  if (!tensors.length)
    tensors.push(
      messageNode(
        `${modelNodeId}/no-tensors`,
        'This server describes no input/output tensors for this model',
        'info',
        undefined,
        serverKey,
      ),
    );
  return [...tensors, ...props];
}

function metricsNode(s: ServerViewState): ViewNode {
  const id = `${s.key}/metrics`;
  const base = { id, role: 'metrics' as const, label: 'Metrics', icon: 'graph', serverKey: s.key };
  if (!s.metricsAvailable) {
    const note = s.metricsNote ?? 'Not scraped yet.';
    return {
      ...base,
      description: s.metricsNote ? 'not available' : 'not scraped yet',
      tooltip: mdEscape(note),
      contextValue: 'metrics.unavailable',
      collapsible: 'none',
    };
  }
  const lines = gaugeLines(s.gauges);
  const children = lines.map<ViewNode>((l) => ({
    id: `${id}/${l.key}`,
    role: 'gauge',
    label: l.label,
    description: l.value,
    icon: 'pulse',
    contextValue: 'gauge',
    collapsible: 'none',
    serverKey: s.key,
  }));
  if (!children.length)
    children.push(
      messageNode(`${id}/none`, 'Scraped, but none of the common gauges is exposed', 'info', undefined, s.key),
    );
  return {
    ...base,
    description: gaugeSummary(s.gauges) || (lines.length ? `${lines.length} gauges` : 'no common gauges yet'),
    tooltip: 'Key gauges from the last Prometheus scrape.  \nUse "Open Metrics" for the raw text.',
    contextValue: 'metrics.available',
    collapsible: 'collapsed',
    children,
  };
}

function endpointsNode(serverKey: string, endpoints: EndpointView[]): ViewNode {
  const id = `${serverKey}/endpoints`;
  return {
    id,
    role: 'endpoints',
    label: 'Endpoints',
    description: String(endpoints.length),
    icon: 'plug',
    contextValue: 'endpoints',
    collapsible: 'collapsed',
    serverKey,
    children: endpoints.map((e) => {
      const address = redactUrl(e.address);
      return {
        id: `${id}/${e.label}`,
        role: 'endpoint',
        label: e.label,
        description: e.state ? `${address} · ${e.state}` : address,
        tooltip: mdEscape(e.state ? `${address}\n${e.state}` : address),
        icon: /^[a-z]+:\/\//i.test(address) ? 'link' : 'radio-tower',
        contextValue: 'endpoint',
        collapsible: 'none',
        serverKey,
        copyText: address,
      };
    }),
  };
}
