import { LAUNCH_ARG_SOURCES, TGI_ARGS, VLLM_ARGS, type LaunchArgDoc, type LaunchServer } from './launchArgDocs';

export interface LaunchArgHover {
  arg: string;
  start: number;
  end: number;
  /** One entry per server whose documentation applies. */
  docs: Array<{ server: LaunchServer; doc: string; source: string }>;
}

const TABLE: Record<LaunchServer, Map<string, LaunchArgDoc>> = {
  vllm: new Map(VLLM_ARGS.map((a) => [a.arg, a])),
  tgi: new Map(TGI_ARGS.map((a) => [a.arg, a])),
};

const NAMES: Record<LaunchServer, string> = { vllm: 'vLLM', tgi: 'TGI' };

/** The `--flag` under `character` in a line (also `--flag=value`, quoted YAML list items). */
export function argAt(line: string, character: number): { arg: string; start: number; end: number } | undefined {
  const re = /(?<![\w-])(--[a-z0-9][a-z0-9-]*|-tp)(?![\w-])/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index <= character && character <= m.index + m[0].length)
      return { arg: m[0], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/**
 * Which server a launch argument at `offset` belongs to, from the nearest
 * image or command before it: vLLM images and `vllm serve`, TGI images and
 * `text-generation-launcher`. Undefined when nothing says.
 */
export function serverAt(text: string, offset: number): LaunchServer | undefined {
  const before = text.slice(0, offset);
  const re =
    /(vllm\/vllm-openai|vllm[-_]?openai|\bvllm serve\b|vllm\.entrypoints)|(text-generation-inference|text-generation-launcher)/g;
  let found: LaunchServer | undefined;
  for (let m = re.exec(before); m; m = re.exec(before)) found = m[1] ? 'vllm' : 'tgi';
  return found;
}

/** Hover documentation for a launch argument in a YAML (compose, Kubernetes) or shell document. */
export function launchArgHover(text: string, offset: number): LaunchArgHover | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndIdx = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEndIdx < 0 ? text.length : lineEndIdx);
  const hit = argAt(line, offset - lineStart);
  if (!hit) return undefined;
  const server = serverAt(text, offset);
  const servers: LaunchServer[] = server ? [server] : ['vllm', 'tgi'];
  const docs = servers.flatMap((s) => {
    const d = TABLE[s].get(hit.arg);
    return d ? [{ server: s, doc: d.doc, source: LAUNCH_ARG_SOURCES[s] }] : [];
  });
  if (!docs.length) return undefined;
  return { arg: hit.arg, start: lineStart + hit.start, end: lineStart + hit.end, docs };
}

/** The hover as Markdown. */
export function launchArgMarkdown(h: LaunchArgHover): string {
  return h.docs
    .map((d) => `**${NAMES[d.server]} \`${h.arg}\`** — ${d.doc}\n\n[${NAMES[d.server]} reference](${d.source})`)
    .join('\n\n---\n\n');
}
