/**
 * `inference-lab merge`: one result from the shard results of workers launched
 * by hand (`bench --shard i/N --out shard-i.json`). The summaries are computed
 * from all shards' raw records (exact percentiles). Times are put on one time
 * line by the shards' wall clocks (keep the machines NTP-synchronised); the
 * result says so per worker. Exit codes: 0 merged, 2 unusable arguments or
 * shards that do not belong together, 1 unexpected failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readResultFile, writeResultFile } from '../core/bench/resultFile';
import { MergeError, mergeShards, type ShardOutput } from '../core/bench/scale/merge';
import { formatSummaryTable } from '../core/bench/summaryTable';
import type { CliCommand } from './main';

const usage = `inference-lab merge SHARD.json [SHARD.json …] --out merged.json [--records merged.records.jsonl]

Each SHARD.json is the result of \`inference-lab bench … --shard i/N --out SHARD.json\`; its raw records file is
found through its recordsPath (relative paths: next to the result).`;

async function run(argv: string[]): Promise<number> {
  let values: { out?: string; records?: string };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, records: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (e) {
    console.error(`inference-lab merge: ${(e as Error).message}\n\nusage: ${usage}`);
    return 2;
  }
  if (!files.length || !values.out) {
    console.error(
      `inference-lab merge: ${files.length ? '--out is required' : 'give the shard result files'}\n\nusage: ${usage}`,
    );
    return 2;
  }
  try {
    const shards: ShardOutput[] = files.map((file) => {
      const result = readResultFile(file);
      return {
        result,
        recordsPath: recordsOf(file, result.recordsPath),
        where: `file ${file}`,
        clock: { method: 'wall-clock' },
      };
    });
    const out = values.out;
    const records =
      values.records ?? path.join(path.dirname(out), `${path.basename(out, path.extname(out))}.records.jsonl`);
    const merged = await mergeShards(shards, records);
    writeResultFile(out, merged);
    console.log(
      `${formatSummaryTable(merged)}\nResult: ${out} (${shards.length} shard${shards.length > 1 ? 's' : ''} merged)`,
    );
    return 0;
  } catch (e) {
    console.error(`inference-lab merge: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof MergeError || /not a benchmark result|Cannot read|is not JSON|ENOENT/.test(String(e)) ? 2 : 1;
  }
}

/** A records path as written in a result: as is when it exists from here, else the file of that name next to the result. */
function recordsOf(resultFile: string, written: string): string {
  if (fs.existsSync(written)) return written;
  return path.join(path.dirname(resultFile), path.basename(written));
}

export const mergeCommand: CliCommand = {
  summary: 'Merge the shard results of a scaled-out run (bench --shard i/N) into one result, from all raw records.',
  usage,
  run,
};
