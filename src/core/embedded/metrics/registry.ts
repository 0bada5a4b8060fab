/**
 * A small Prometheus registry shared by all personalities. Each personality
 * registers families under its own prefix (`vllm:`, `tgi_`, `nv_`, `ts_`, …)
 * and renders only those, in its server's dialect: TGI prints no HELP lines,
 * TorchServe ends label sets with a trailing comma. (prom-client cannot emit
 * those dialects, hence this file.) Registration is idempotent by name.
 */

export type Labels = Record<string, string>;

export interface RenderOptions {
  /** Only families whose name starts with one of these. */
  prefix?: string | readonly string[];
  /** Print `# HELP` lines (default true). */
  help?: boolean;
  /** Print `# TYPE` lines (default true). */
  type?: boolean;
  /** End each label set with `,` (TorchServe's Java client does). */
  trailingComma?: boolean;
  /** HELP/TYPE lines name a `…_total` counter without the suffix (Python prometheus_client does). */
  stripTotalInMeta?: boolean;
}

type Kind = 'counter' | 'gauge' | 'histogram';

interface Series {
  labels: Labels;
  value: number;
  /** Histogram only: observations per bucket (non-cumulative; summed at render) and their sum. */
  counts?: number[];
  sum?: number;
}

/** One labelled series, resolved once: the cheap handle for hot paths. */
export interface SeriesHandle {
  inc(v?: number): void;
  set(v: number): void;
  observe(v: number): void;
}

export class MetricFamily {
  private readonly all = new Map<string, Series>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: Kind,
    readonly buckets: readonly number[] = [],
    private readonly collect?: () => Array<{ labels: Labels; value: number }>,
  ) {}

  /** Counter/gauge: adds `v` (default 1). */
  inc(labels: Labels = {}, v = 1): void {
    this.at(labels).value += v;
  }

  /** Gauge: sets the value. */
  set(labels: Labels, v: number): void {
    this.at(labels).value = v;
  }

  /** Histogram: records one observation. */
  observe(labels: Labels, v: number): void {
    this.record(this.at(labels), v);
  }

  /** A handle bound to one label set (resolve once, then update without key building). */
  series(labels: Labels = {}): SeriesHandle {
    const s = this.at(labels);
    return {
      inc: (v = 1) => void (s.value += v),
      set: (v) => void (s.value = v),
      observe: (v) => this.record(s, v),
    };
  }

  private record(s: Series, v: number): void {
    s.value += 1;
    s.sum = (s.sum ?? 0) + v;
    const counts = (s.counts ??= new Array<number>(this.buckets.length + 1).fill(0));
    let i = 0;
    while (i < this.buckets.length && v > this.buckets[i]) i++;
    counts[i]++;
  }

  /** Current value of one series (count for a histogram), 0 if absent. */
  get(labels: Labels = {}): number {
    return this.all.get(labelKey(labels))?.value ?? 0;
  }

  render(o: RenderOptions): string {
    const out: string[] = [];
    const meta =
      o.stripTotalInMeta && this.kind === 'counter' && this.name.endsWith('_total')
        ? this.name.slice(0, -6)
        : this.name;
    if (o.help !== false) out.push(`# HELP ${meta} ${this.help}`);
    if (o.type !== false) out.push(`# TYPE ${meta} ${this.kind}`);
    const all = this.collect ? this.collect().map((s) => ({ ...s })) : [...this.all.values()];
    for (const s of all) {
      if (this.kind !== 'histogram') {
        out.push(`${this.name}${fmtLabels(s.labels, o)} ${fmtNum(s.value)}`);
        continue;
      }
      const counts = (s as Series).counts ?? [];
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += counts[i] ?? 0;
        out.push(`${this.name}_bucket${fmtLabels({ ...s.labels, le: fmtNum(b) }, o)} ${cumulative}`);
      });
      out.push(`${this.name}_bucket${fmtLabels({ ...s.labels, le: '+Inf' }, o)} ${s.value}`);
      out.push(`${this.name}_sum${fmtLabels(s.labels, o)} ${fmtNum((s as Series).sum ?? 0)}`);
      out.push(`${this.name}_count${fmtLabels(s.labels, o)} ${s.value}`);
    }
    return out.join('\n');
  }

  private at(labels: Labels): Series {
    const key = labelKey(labels);
    let s = this.all.get(key);
    if (!s) this.all.set(key, (s = { labels: { ...labels }, value: 0 }));
    return s;
  }
}

export class MetricsRegistry {
  private readonly families = new Map<string, MetricFamily>();

  counter(name: string, help: string): MetricFamily {
    return this.family(name, () => new MetricFamily(name, help, 'counter'));
  }

  /** A gauge; with `collect`, values are read at render time (e.g. queue lengths). */
  gauge(name: string, help: string, collect?: () => Array<{ labels: Labels; value: number }>): MetricFamily {
    return this.family(name, () => new MetricFamily(name, help, 'gauge', [], collect));
  }

  histogram(name: string, help: string, buckets: readonly number[]): MetricFamily {
    return this.family(
      name,
      () =>
        new MetricFamily(
          name,
          help,
          'histogram',
          [...buckets].sort((a, b) => a - b),
        ),
    );
  }

  /** Prometheus text exposition of the selected families (ends with a newline). */
  render(o: RenderOptions = {}): string {
    const prefixes = o.prefix === undefined ? undefined : typeof o.prefix === 'string' ? [o.prefix] : o.prefix;
    const parts: string[] = [];
    for (const f of this.families.values()) {
      if (!prefixes || prefixes.some((p) => f.name.startsWith(p))) parts.push(f.render(o));
    }
    return parts.length ? `${parts.join('\n')}\n` : '';
  }

  private family(name: string, make: () => MetricFamily): MetricFamily {
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = make()));
    return f;
  }
}

function labelKey(labels: Labels): string {
  let k = '';
  for (const n in labels) k += `${n}\u0000${labels[n]}\u0001`;
  return k;
}

function fmtLabels(labels: Labels, o: RenderOptions): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  if (!parts.length) return '';
  return `{${parts.join(',')}${o.trailingComma ? ',' : ''}}`;
}

function fmtNum(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isInteger(v) ? `${v}.0` : String(v);
}
