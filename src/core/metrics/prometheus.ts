/**
 * Prometheus text exposition (0.0.4, plus the OpenMetrics bits servers emit).
 *
 * Written here because the one npm parser (parse-prometheus-text-format,
 * unchanged since 2019) drops the labels, `_sum` and `_count` of histograms and
 * turns an HTML page into a "metric". Tolerates the quirks of wire-reference
 * §12: TorchServe's trailing comma in label sets, TF Serving names that start
 * with `:`, vLLM's `vllm:` prefix, any content type. A bad line is recorded and
 * skipped: one odd line never costs the whole scrape.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface ParsedMetrics {
  samples: Sample[];
  /** `# TYPE` declarations by family name (counter, gauge, histogram, summary, untyped…). */
  types: Map<string, string>;
  /** `# HELP` text by family name. */
  help: Map<string, string>;
  /** Lines that could not be read (1-based line number, text cut to 200 chars). */
  errors: { line: number; text: string }[];
}

const nameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): ParsedMetrics {
  const out: ParsedMetrics = { samples: [], types: new Map(), help: new Map(), errors: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      if (line === '# EOF') break;
      readComment(line, out);
      continue;
    }
    const s = readSample(line);
    if (s) out.samples.push(s);
    else out.errors.push({ line: i + 1, text: line.slice(0, 200) });
  }
  return out;
}

function readComment(line: string, out: ParsedMetrics): void {
  const m = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
  if (!m) return;
  if (m[1] === 'TYPE') out.types.set(m[2], m[3].trim().toLowerCase());
  else out.help.set(m[2], m[3].replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
}

/** One sample line, or undefined when it is not valid exposition text. */
export function readSample(line: string): Sample | undefined {
  const name = nameRe.exec(line)?.[0];
  if (!name) return undefined;
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const read = readLabels(rest);
    if (!read) return undefined;
    labels = read.labels;
    rest = rest.slice(read.length);
  }
  // An OpenMetrics exemplar (` # {trace_id="…"} 1.0`) follows the value: drop it.
  const hash = rest.indexOf(' #');
  if (hash >= 0) rest = rest.slice(0, hash);
  // The value is separated from the name (or label set) by whitespace; an optional timestamp follows.
  if (!/^\s/.test(rest)) return undefined;
  const parts = rest.trim().split(/\s+/);
  if (parts.length > 2) return undefined;
  const value = parseValue(parts[0]);
  if (value === undefined) return undefined;
  const sample: Sample = { name, labels, value };
  if (parts[1] !== undefined) {
    const ts = Number(parts[1]);
    if (!Number.isFinite(ts)) return undefined;
    sample.timestampMs = ts;
  }
  return sample;
}

function parseValue(v: string): number | undefined {
  switch (v) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** Reads `{a="x",b="y",}` (trailing comma allowed) from the start of `s`. */
function readLabels(s: string): { labels: Record<string, string>; length: number } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === '}') return { labels, length: i + 1 };
    const name = labelNameRe.exec(s.slice(i))?.[0];
    if (!name) return undefined;
    i += name.length;
    while (s[i] === ' ') i++;
    if (s[i] !== '=' || s[i + 1] !== '"') return undefined;
    i += 2;
    let value = '';
    for (; i < s.length && s[i] !== '"'; i++) {
      if (s[i] === '\\' && i + 1 < s.length) {
        i++;
        value += s[i] === 'n' ? '\n' : s[i];
      } else value += s[i];
    }
    if (s[i] !== '"') return undefined;
    labels[name] = value;
    i++;
    while (s[i] === ' ') i++;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') return undefined;
  }
}
