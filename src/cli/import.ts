/**
 * `inference-lab import FILE...`: brings peer tools' result files (vllm bench
 * serve, GuideLLM, AIPerf, GenAI-Perf, inference-perf) into the results store
 * the extension's Benchmark Runs view reads (`.inference-lab/results` under
 * the current folder unless `--store DIR`), prints each run's summary table
 * with the tool and version its figures come from. Exit codes: 0 every file
 * imported, 2 a file could not be imported (the message names it and why;
 * the others are still imported).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from './main';

const usage = 'inference-lab import FILE... [--store DIR] [--json]';

async function run(argv: string[]): Promise<number> {
  let values: { store?: string; json?: boolean };
  let files: string[];
  try {
    const p = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { store: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    values = p.values;
    files = p.positionals;
  } catch (e) {
    console.error(`inference-lab import: ${(e as Error).message}\nusage: ${usage}`);
    return 2;
  }
  if (!files.length) {
    console.error(`inference-lab import: name at least one result file\nusage: ${usage}`);
    return 2;
  }
  const { ResultsStore } = await import('../core/results/resultsStore.js');
  const { importIntoStore, readPeerResult } = await import('../core/results/import/peerImport.js');
  const { formatSummaryTable } = await import('../core/bench/summaryTable.js');
  const store = new ResultsStore(path.resolve(values.store ?? path.join('.inference-lab', 'results')));
  let code = 0;
  for (const file of files) {
    try {
      const imported = await readPeerResult(file);
      const meta = await importIntoStore(store, file, imported);
      if (values.json)
        console.log(
          JSON.stringify({
            file,
            run: meta.id,
            dir: store.dir(meta.id),
            tool: imported.result.tool,
            perRequest: !!imported.records,
          }),
        );
      else {
        console.log(`${file} → run ${meta.id} (${store.dir(meta.id)})`);
        const stored = await store.result(meta.id);
        console.log(formatSummaryTable(stored ?? imported.result));
        console.log('');
      }
    } catch (e) {
      console.error(`inference-lab import: ${e instanceof Error ? e.message : String(e)}`);
      code = 2;
    }
  }
  return code;
}

export const importCommand: CliCommand = {
  summary:
    "Import peer tools' result files (vllm bench serve, GuideLLM, AIPerf, GenAI-Perf, inference-perf) as benchmark runs.",
  usage,
  run,
};
