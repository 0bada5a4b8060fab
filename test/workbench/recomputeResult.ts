/**
 * The oracle of the results journey for profiles other than the saved one:
 * the result file recomputed from its raw records by the core (the same code
 * the unit tests check against each tool's definitions), printed as JSON.
 * usage: node --import tsx test/workbench/recomputeResult.ts result.json records.jsonl profile
 */
import fs from 'node:fs';
import { recomputeProfile } from '../../src/core/bench/recompute';
import { resultFromJson, resultToJson } from '../../src/core/bench/result';
import type { ProfileName } from '../../src/core/bench/spec';

async function main(): Promise<void> {
  const [file, records, profile] = process.argv.slice(2);
  const result = resultFromJson(fs.readFileSync(file, 'utf8'));
  process.stdout.write(
    resultToJson(profile === result.profile ? result : await recomputeProfile(result, records, profile as ProfileName)),
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
