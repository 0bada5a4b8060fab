/**
 * Every scraped sample kept as a series, in a JSONL file next to the records
 * (`<records>.server-metrics.jsonl`): a header line, then one line per scrape
 * `{"s": source, "t": ms since run start, "add": [new keys], "v": [value per key]}`
 * (source `server`, `gpu` or `container`). Keys are `name{label="value",…}`
 * with labels sorted, so a series keeps its column (per source) for the whole
 * run; `add` lists the keys first seen in that scrape.
 * Compact enough for hours of 1 s scrapes of a vLLM server.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Sample } from '../../metrics/prometheus';

export const rawSeriesFormat = 'inference-lab/server-metrics-raw';

export function seriesKey(s: Sample): string {
  const names = Object.keys(s.labels);
  if (!names.length) return s.name;
  names.sort();
  return `${s.name}{${names.map((n) => `${n}=${JSON.stringify(s.labels[n])}`).join(',')}}`;
}

/** Where the raw series of a run go: beside its records file. */
export function rawSeriesPathFor(recordsPath: string): string {
  return recordsPath.replace(/(\.records)?\.jsonl$/i, '') + '.server-metrics.jsonl';
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

export class RawSeriesWriter {
  private readonly columns = new Map<string, Map<string, number>>();
  private readonly out: fs.WriteStream;
  private failed: Error | undefined;

  constructor(
    readonly path: string,
    header: Record<string, unknown>,
  ) {
    this.out = fs.createWriteStream(path, { encoding: 'utf8' });
    this.out.on('error', (e) => (this.failed = e));
    this.out.write(`${JSON.stringify({ format: rawSeriesFormat, version: 1, ...header })}\n`);
  }

  write(source: string, tMs: number, samples: readonly Sample[]): void {
    if (this.failed) return;
    let columns = this.columns.get(source);
    if (!columns) this.columns.set(source, (columns = new Map()));
    const add: string[] = [];
    const v: Array<number | null> = new Array<number | null>(columns.size).fill(null);
    for (const s of samples) {
      const key = seriesKey(s);
      let col = columns.get(key);
      if (col === undefined) {
        col = columns.size;
        columns.set(key, col);
        add.push(key);
      }
      v[col] = num(s.value);
    }
    this.out.write(`${JSON.stringify(add.length ? { s: source, t: tMs, add, v } : { s: source, t: tMs, v })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.end(() => (this.failed ? reject(this.failed) : resolve()));
    });
  }
}

export interface RawSeries {
  header: Record<string, unknown>;
  /** Per source (`server`, `gpu`): scrape times and each series' values (null where absent). */
  sources: Map<string, { t: number[]; series: Map<string, Array<number | null>> }>;
}

/** Reads a raw-series file back into series, per source. */
export async function readRawSeries(path: string): Promise<RawSeries> {
  const rl = readline.createInterface({ input: fs.createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const keys = new Map<string, string[]>();
  const out: RawSeries = { header: {}, sources: new Map() };
  let first = true;
  for await (const line of rl) {
    if (!line.trim()) continue;
    const j = JSON.parse(line) as { s: string; t: number; add?: string[]; v: Array<number | null> } & Record<
      string,
      unknown
    >;
    if (first) {
      first = false;
      if (j.format !== rawSeriesFormat) throw new Error(`${path} is not a raw server-metrics file`);
      out.header = j;
      continue;
    }
    let cols = keys.get(j.s);
    if (!cols) keys.set(j.s, (cols = []));
    if (j.add) cols.push(...j.add);
    let src = out.sources.get(j.s);
    if (!src) out.sources.set(j.s, (src = { t: [], series: new Map() }));
    const at = src.t.length;
    src.t.push(j.t);
    j.v.forEach((value, col) => {
      const key = cols[col];
      let s = src.series.get(key);
      if (!s) src.series.set(key, (s = []));
      s[at] = value;
    });
  }
  for (const src of out.sources.values())
    for (const [k, s] of src.series)
      src.series.set(
        k,
        Array.from({ length: src.t.length }, (_, i) => s[i] ?? null),
      );
  return out;
}
