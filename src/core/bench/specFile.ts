/**
 * Benchmark spec files (`*.bench.json`, `*.bench.yaml`): parsed with the yaml
 * package (YAML is a superset of JSON), validated with ajv against
 * schema/spec.schema.json, then converted to a BenchSpec (plain numbers for
 * fixed lengths become `{mean}`, "inf" rates become Infinity).
 */
import { readFile } from 'node:fs/promises';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import schema from './schema/spec.schema.json';
import type { BenchSpec, LengthSpec } from './spec';
import { BenchSpecError } from './specNormalize';
import { schemaProblems } from '../util/schemaProblems';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

type Raw = Record<string, unknown>;

function lengthOf(v: unknown): LengthSpec | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? { mean: v } : (v as LengthSpec);
}

function withLengths<T extends Raw | undefined>(section: T, keys: string[]): T {
  if (!section) return section;
  const out: Raw = { ...section };
  for (const k of keys) if (k in out) out[k] = lengthOf(out[k]);
  return out as T;
}

/** Checks a parsed spec object against the schema; throws a BenchSpecError listing every problem. */
export function specFromObject(value: unknown, source = 'spec'): BenchSpec {
  if (!validate(value)) {
    const problems = schemaProblems(validate.errors);
    throw new BenchSpecError(`${source} is not a valid benchmark spec:\n${[...new Set(problems)].join('\n')}`);
  }
  const v = value as Raw;
  const load = (v.load ?? {}) as Raw;
  const spec = { ...v, load: { ...load } } as unknown as BenchSpec & Raw;
  delete spec.$schema;
  if (Array.isArray(load.rate)) spec.load.rate = load.rate.map((r) => (r === 'inf' ? Infinity : (r as number)));
  spec.text = withLengths(v.text as Raw | undefined, ['inputTokens', 'outputTokens']) as BenchSpec['text'];
  spec.embeddings = withLengths(v.embeddings as Raw | undefined, ['inputTokens']) as BenchSpec['embeddings'];
  for (const k of ['text', 'embeddings'] as const) if (spec[k] === undefined) delete spec[k];
  return spec;
}

/** Parses spec text (JSON or YAML). */
export function parseSpecText(text: string, source = 'spec'): BenchSpec {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new BenchSpecError(
      `${source}: cannot parse as JSON or YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  return specFromObject(value, source);
}

export async function loadSpecFile(path: string): Promise<BenchSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BenchSpecError(
      code === 'ENOENT' ? `Spec file not found: ${path}` : `Cannot read spec file ${path}: ${(e as Error).message}`,
    );
  }
  return parseSpecText(text, path);
}
