/**
 * Markdown tooltips of the Servers tree. Everything a server or a user wrote
 * (names, URLs, server messages) is escaped, so a server's error text cannot
 * inject links or formatting into the editor's hover.
 */
import { safeUrl } from '../../http/errors';
import { terminalSafe } from '../../util/terminalText';
import { kindLabels } from '../registry';
import type { ModelMetadata } from '../types';
import { statusLooks, type ServerViewState } from './viewState';

/**
 * Escapes untrusted text for a Markdown tooltip: inline syntax anywhere
 * (emphasis, code, links, HTML) and block syntax at line starts (headings,
 * lists, quotes). Other punctuation stays as is, so URLs read normally.
 * Control characters are shown escaped (`\x1b`), never passed on.
 */
export function mdEscape(text: string): string {
  return terminalSafe(text)
    .replace(/[\\`*_{}[\]<>|~]/g, (c) => `\\${c}`)
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*)([#+\-=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2'))
    .join('  \n');
}

/** Local wall-clock time, HH:MM:SS. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The hover of a server node: identity, status, the last probe's evidence and error in words. */
export function serverTooltip(s: ServerViewState): string {
  const look = statusLooks[s.status];
  const kind = s.kind ? `${kindLabels[s.kind]}${s.version ? ` ${s.version}` : ''}` : 'kind not known yet';
  const lines = [
    `**${mdEscape(s.name)}** — ${mdEscape(safeUrl(s.url).replace(/\/$/, ''))}`,
    '',
    `$(${look.icon}) **${look.label}** · ${mdEscape(kind)}`,
  ];
  if (s.probedAt === undefined) lines.push('', 'Not probed yet.');
  if (s.error) lines.push('', `**Error:** ${mdEscape(s.error)}`);
  if (s.detail) lines.push('', `**Server says:** ${mdEscape(s.detail)}`);
  if (s.evidence && s.evidence !== s.error) lines.push('', `Evidence: ${mdEscape(s.evidence)}`);
  if (s.status === 'ready' || s.status === 'live-not-ready') {
    const ready = s.models.filter((m) => m.ready).length;
    lines.push(
      '',
      s.modelsError
        ? `Models: ${mdEscape(s.modelsError)}`
        : `Models: ${s.models.length}${s.models.some((m) => m.ready !== undefined) ? ` (${ready} ready)` : ''}`,
    );
  }
  if (s.allowSelfSigned) lines.push('', 'Self-signed TLS certificates are accepted for this server (opt-in).');
  if (s.origin === 'embedded') lines.push('', '_Embedded server: simulated models, real protocol and timing._');
  if (s.origin === 'discovered') lines.push('', '_Discovered on this machine: use "Add Server" to keep it._');
  return lines.join('\n');
}

/**
 * The probe-time line of a server's hover. Kept apart from the tooltip so the
 * tree diff can ignore it: it says when the state shown was observed.
 */
export function probeStamp(s: Pick<ServerViewState, 'probedAt' | 'durationMs'>): string | undefined {
  if (s.probedAt === undefined) return undefined;
  return `Probed at ${clockTime(s.probedAt)}${s.durationMs !== undefined ? ` (${Math.round(s.durationMs)} ms)` : ''}`;
}

/** The hover of a model node. */
export function modelTooltip(
  name: string,
  info: { ready?: boolean; state?: string; reason?: string; versions?: string[] },
): string {
  const lines = [`**${mdEscape(name)}**`];
  if (info.ready !== undefined) lines.push('', info.ready ? 'Ready' : 'Not ready');
  if (info.state) lines.push('', `State: ${mdEscape(info.state)}`);
  if (info.reason) lines.push('', `Reason: ${mdEscape(info.reason)}`);
  if (info.versions?.length) lines.push('', `Versions: ${mdEscape(info.versions.join(', '))}`);
  lines.push('', 'Expand to see its inputs and outputs.');
  return lines.join('\n');
}

/** "FP32 [-1, 3, 224, 224]" (−1 = any size). */
export function tensorDescription(t: { datatype: string; shape?: number[] }): string {
  return t.shape ? `${t.datatype} [${t.shape.join(', ')}]` : `${t.datatype} (shape not given)`;
}

/** The hover of the metadata summary: platform and non-tensor facts. */
export function metadataTooltip(md: ModelMetadata): string {
  const lines = [`**${mdEscape(md.name)}**`];
  if (md.platform) lines.push('', `Platform: ${mdEscape(md.platform)}`);
  for (const [k, v] of Object.entries(md.properties)) lines.push('', `${mdEscape(k)}: ${mdEscape(String(v))}`);
  return lines.join('\n');
}
