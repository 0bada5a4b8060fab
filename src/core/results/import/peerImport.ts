/**
 * `inference-lab import FILE` and "Import Results…": recognises a peer tool's
 * result file by its content (not its name), turns it into a run of the
 * results store, and writes rebuilt raw records beside it when the file holds
 * per-request data. Formats: vllm bench serve --save-result (JSON / JSON
 * Lines), GuideLLM benchmarks (JSON / YAML / CSV), AIPerf profile exports
 * (JSON + profile_export.jsonl, CSV), GenAI-Perf profile exports (JSON /
 * CSV), inference-perf lifecycle reports.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { encodeRecord } from '../../bench/record';
import type { ResultsStore, RunMeta } from '../resultsStore';
import { writeFileAtomic } from '../atomicWrite';
import { importAiperfCsv, importAiperfJson, looksLikeAiperf } from './aiperfImport';
import { ImportError, isObj, type ImportedRun, type Json } from './common';
import { importGenaiPerfCsv, importGenaiPerfJson, looksLikeGenaiPerf } from './genaiPerfImport';
import { importGuidellm, importGuidellmCsv, looksLikeGuidellm } from './guidellmImport';
import { importInferencePerf, looksLikeInferencePerf } from './inferencePerfImport';
import { importVllm, looksLikeVllm } from './vllmImport';

export { ImportError } from './common';
export type { ImportedRun } from './common';

/** Python's json.dumps writes NaN / Infinity / -Infinity as bare tokens: make them JSON (strings outside quotes only). */
function sanitize(text: string): string {
  return text.replace(
    /("(?:[^"\\]|\\.)*")|\b(-?Infinity|NaN)\b/g,
    (_m, str: string | undefined, tok: string | undefined) =>
      str !== undefined ? str : tok === 'NaN' ? 'null' : `"${tok === '-Infinity' ? '-inf' : 'inf'}"`,
  );
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(sanitize(text));
  } catch (e) {
    throw new ImportError(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

const KNOWN = 'a result of vllm bench serve, GuideLLM, AIPerf, GenAI-Perf or inference-perf';

function fromObject(file: string, j: unknown, format: 'json' | 'yaml'): ImportedRun {
  if (!isObj(j))
    throw new ImportError(
      file,
      `the top level is ${Array.isArray(j) ? 'an array' : typeof j}, not an object: not ${KNOWN}`,
    );
  if (looksLikeGuidellm(j)) return importGuidellm(file, j, `GuideLLM benchmarks (${format.toUpperCase()})`);
  if (looksLikeAiperf(j)) return importAiperfJson(file, j);
  if (looksLikeVllm(j)) return importVllm(file, [j]);
  if (looksLikeInferencePerf(j)) return importInferencePerf(file, j);
  if (looksLikeGenaiPerf(j)) return importGenaiPerfJson(file, j);
  if (Array.isArray(j.experiments))
    throw new ImportError(
      file,
      'this is perf_analyzer\'s raw profile_export.json: import the "<name>_genai_perf.json" file GenAI-Perf wrote beside it',
    );
  throw new ImportError(file, `not ${KNOWN} (top-level keys: ${Object.keys(j).slice(0, 8).join(', ') || 'none'})`);
}

/** Reads and recognises one peer result file. Throws ImportError naming the file and the problem. */
export async function readPeerResult(file: string): Promise<ImportedRun> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ImportError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!text.trim()) throw new ImportError(file, 'the file is empty');
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') {
    const first = text.split(/\r?\n/, 1)[0];
    if (/^"?Metric"?,/.test(first))
      return /genai_perf/i.test(path.basename(file)) ? importGenaiPerfCsv(file, text) : importAiperfCsv(file, text);
    if (/Run Info|Benchmark/.test(first)) return importGuidellmCsv(file, text);
    throw new ImportError(file, `unknown CSV layout (first row "${first.slice(0, 60)}"): not ${KNOWN}`);
  }
  if (ext === '.yaml' || ext === '.yml') {
    let y: unknown;
    try {
      y = parseYaml(text, { maxAliasCount: -1 });
    } catch (e) {
      throw new ImportError(file, `not valid YAML (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    }
    return fromObject(file, y, 'yaml');
  }
  const trimmed = text.trim();
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
  if (
    ext === '.jsonl' ||
    (lines.length > 1 &&
      trimmed.startsWith('{') &&
      lines.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}')))
  ) {
    const objs = lines.map((l, k) => {
      try {
        return JSON.parse(sanitize(l)) as Json;
      } catch {
        throw new ImportError(file, `line ${k + 1} is not JSON`);
      }
    });
    if (objs.length && isObj(objs[0]) && isObj(objs[0].metadata) && isObj(objs[0].metrics)) {
      // AIPerf per-request records: the summary beside them holds the run.
      const summary = path.join(path.dirname(file), path.basename(file).replace(/\.jsonl$/, '_aiperf.json'));
      const alt = path.join(path.dirname(file), 'profile_export_aiperf.json');
      for (const s of [summary, alt]) {
        try {
          await fs.access(s);
          return fromObject(s, parseJson(s, await fs.readFile(s, 'utf8')), 'json');
        } catch (e) {
          if (e instanceof ImportError) throw e;
        }
      }
      throw new ImportError(
        file,
        'AIPerf per-request records without their summary (profile_export_aiperf.json) beside them',
      );
    }
    if (objs.length > 1) return importVllm(file, objs);
    return fromObject(file, objs[0], 'json');
  }
  return fromObject(file, parseJson(file, text), 'json');
}

/** Imports a peer file into the store as a finished run; returns its meta. */
export async function importIntoStore(store: ResultsStore, file: string, imported?: ImportedRun): Promise<RunMeta> {
  const run = imported ?? (await readPeerResult(file));
  const r = run.result;
  const meta = await store.create({
    name: `${r.tool.name} ${r.tool.version === 'unknown' ? '' : `${r.tool.version} `}· ${path.basename(file)}`.replace(
      / +/g,
      ' ',
    ),
    group: 'text-generation',
    server: { url: r.server.url, kind: r.server.kind, model: r.server.model },
    spec: r.config,
  });
  const recordsPath = store.recordsPath(meta.id);
  if (run.records) {
    const lines = [
      JSON.stringify({ meta: { format: 'inference-lab/bench-records', version: 1, startedAt: r.startedAt } }),
    ];
    for (const s of r.steps)
      lines.push(
        JSON.stringify({ step: { index: s.index, label: s.label, start: s.window.startMs, end: s.window.endMs } }),
      );
    for (const rec of run.records) lines.push(encodeRecord(rec).trimEnd());
    await writeFileAtomic(recordsPath, `${lines.join('\n')}\n`);
  }
  const first = r.steps[0]?.summary;
  const headline = first ? `${first.counts.completed} requests · imported from ${r.tool.name}` : undefined;
  return store.finish(meta.id, { ...r, recordsPath: run.records ? recordsPath : '' }, headline);
}
