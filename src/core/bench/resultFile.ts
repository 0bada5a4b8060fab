/**
 * Reading, checking and writing result files. Writes are atomic (temp file
 * then rename) so a crash never leaves half a result; reads are checked
 * against schema/result.schema.json so a bad file gives a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import schema from './schema/result.schema.json';
import { resultFromJson, resultToJson, type BenchResult } from './result';

export const resultSchema = schema;

// Formats (date-time) are documentation here; the engine writes ISO strings itself.
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** Problems of a parsed result against the schema (empty when it conforms). */
export function resultProblems(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'}: ${e.message}`);
}

export function writeResultFile(file: string, result: BenchResult): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, resultToJson(result));
  fs.renameSync(tmp, file);
}

export function readResultFile(file: string): BenchResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the result ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const problems = resultProblems(raw);
  if (problems.length) throw new Error(`${file} is not a benchmark result:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return resultFromJson(text);
}
