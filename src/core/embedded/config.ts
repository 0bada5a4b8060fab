/**
 * Embedded server configuration: a JSON or YAML file (validated against
 * config.schema.json with ajv) or an object from the extension. Every key is
 * optional; `resolveConfig` fills the defaults.
 */
import { readFile } from 'node:fs/promises';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { FaultConfig } from './faults';
import { defaultModelSpecs, type ModelSpec } from './models/factory';
import schema from './config.schema.json';
import { schemaProblems } from '../util/schemaProblems';

export interface PersonalityConfig {
  enabled?: boolean;
  port?: number;
  host?: string;
  /** Personality-specific options (apiKey, version, …). */
  [option: string]: unknown;
}

/** The config as written (all optional). */
export interface EmbeddedConfigInput {
  host?: string;
  portBase?: number;
  seed?: number;
  personalities?: Record<string, PersonalityConfig>;
  models?: ModelSpec[];
  faults?: Partial<FaultConfig>;
}

/** The config with defaults applied. */
export interface EmbeddedConfig {
  host: string;
  portBase: number;
  seed: number;
  personalities: Record<string, PersonalityConfig>;
  models: ModelSpec[];
  faults: Partial<FaultConfig>;
}

/** Default first port: personality ports are 18000 + offset (vLLM 18000, Triton 18010–18012, …). */
export const DEFAULT_PORT_BASE = 18000;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<EmbeddedConfigInput>(schema);

/** Validates a parsed config; throws a ConfigError listing every problem. */
export function validateConfig(value: unknown, source = 'config'): EmbeddedConfigInput {
  if (value === null || value === undefined) return {};
  if (validate(value)) {
    const names = new Set<string>();
    for (const m of value.models ?? []) {
      if (names.has(m.name)) throw new ConfigError(`${source}: duplicate model name "${m.name}"`);
      names.add(m.name);
    }
    for (const m of value.models ?? []) {
      if (m.lora?.length && m.kind !== 'text-generation')
        throw new ConfigError(`${source}: model "${m.name}": LoRA adapters are for text-generation models`);
      for (const a of m.lora ?? []) {
        if (names.has(a.name))
          throw new ConfigError(`${source}: LoRA adapter "${a.name}" of "${m.name}" reuses a model or adapter name`);
        names.add(a.name);
      }
    }
    return value;
  }
  const problems = schemaProblems(validate.errors);
  throw new ConfigError(`${source} is not a valid embedded-server config:\n${problems.join('\n')}`);
}

/** Parses JSON or YAML text (YAML is a superset of JSON, so one parser serves both). */
export function parseConfigText(text: string, source = 'config'): EmbeddedConfigInput {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new ConfigError(
      `${source}: cannot parse as JSON or YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  return validateConfig(value, source);
}

export async function loadConfigFile(path: string): Promise<EmbeddedConfigInput> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `Config file not found: ${path}` : `Cannot read config file ${path}: ${(e as Error).message}`,
    );
  }
  return parseConfigText(text, path);
}

export function resolveConfig(input: EmbeddedConfigInput = {}): EmbeddedConfig {
  return {
    host: input.host ?? '127.0.0.1',
    portBase: input.portBase ?? DEFAULT_PORT_BASE,
    seed: input.seed ?? 42,
    personalities: input.personalities ?? {},
    models: input.models?.length ? input.models : [...defaultModelSpecs],
    faults: input.faults ?? {},
  };
}
