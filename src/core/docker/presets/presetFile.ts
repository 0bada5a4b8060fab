/**
 * A preset saved in the workspace (e.g. `.vscode/inference-lab/<id>.preset.json`)
 * together with the launch options the team chose. Loading validates the file
 * against a JSON Schema and the preset's own consistency, so a hand-edited
 * file fails with a message naming the field. Secrets are never part of it.
 */
import Ajv from 'ajv';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ContainerError } from '../errors';
import { labelKeys } from '../launch/labels';
import { checkPreset, validateLaunchInput } from '../launch/launchChecks';
import type { LaunchOptions, ServerPreset } from './presetTypes';

export const presetFileKind = 'inference-lab.preset';

export interface PresetFile {
  kind: typeof presetFileKind;
  version: 1;
  preset: ServerPreset;
  options: LaunchOptions;
}

const str = { type: 'string' } as const;
const strMap = { type: 'object', additionalProperties: str } as const;
const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;

const presetSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'label',
    'description',
    'serverKind',
    'image',
    'tag',
    'supportsCpu',
    'ports',
    'volumes',
    'env',
    'args',
    'params',
    'health',
  ],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    label: str,
    description: str,
    serverKind: { type: 'string', pattern: '^[a-z0-9-]+$' },
    image: str,
    tag: str,
    cpuTag: str,
    supportsCpu: { type: 'boolean' },
    ports: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'container', 'protocol', 'role', 'defaultHostPort'],
        properties: {
          name: str,
          container: port,
          protocol: { enum: ['http', 'grpc'] },
          role: { enum: ['inference', 'management', 'metrics'] },
          defaultHostPort: port,
        },
      },
    },
    shmSize: str,
    ipcHost: { type: 'boolean' },
    ulimits: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'soft', 'hard'],
        properties: { name: str, soft: { type: 'integer' }, hard: { type: 'integer' } },
      },
    },
    volumes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'containerPath', 'description'],
        properties: {
          role: str,
          containerPath: { type: 'string', pattern: '^/' },
          defaultSource: str,
          required: { type: 'boolean' },
          readOnly: { type: 'boolean' },
          description: str,
        },
      },
    },
    env: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: str, value: str, secret: { type: 'boolean' }, description: str },
      },
    },
    args: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { flag: str, value: str } },
    },
    params: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'label'],
        properties: { name: str, label: str, required: { type: 'boolean' }, default: str, description: str },
      },
    },
    health: {
      type: 'object',
      additionalProperties: false,
      required: ['port', 'path', 'expectStatus', 'timeoutMs'],
      properties: {
        port: str,
        path: { type: 'string', pattern: '^/' },
        expectStatus: { type: 'integer' },
        bodyIncludes: str,
        timeoutMs: { type: 'integer', minimum: 1 },
      },
    },
  },
};

const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    gpus: { oneOf: [{ enum: ['all', 'none'] }, { type: 'array', items: str }] },
    hostPorts: { type: 'object', additionalProperties: port },
    bindAddress: str,
    volumes: strMap,
    env: strMap,
    secretEnv: { type: 'array', items: str },
    extraArgs: { type: 'array', items: str },
    name: str,
    tag: str,
    image: str,
    shmSize: str,
    pull: { enum: ['missing', 'always', 'never'] },
    healthTimeoutMs: { type: 'integer', minimum: 1 },
    labels: strMap,
  },
};

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'version', 'preset', 'options'],
  properties: { kind: { const: presetFileKind }, version: { const: 1 }, preset: presetSchema, options: optionsSchema },
};

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validateFile = ajv.compile<PresetFile>(fileSchema);
const validateOptions = ajv.compile<LaunchOptions>(optionsSchema);

/**
 * The launch options a container was launched with (from its
 * `inference-lab.launch-options` label), or undefined when absent or invalid.
 */
export function launchOptionsFromLabels(labels: Record<string, string>): LaunchOptions | undefined {
  const text = labels[labelKeys.launchOptions];
  if (!text) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return validateOptions(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Validates parsed JSON as a preset file; `where` names it in messages. */
export function parsePresetFile(data: unknown, where = 'preset file'): PresetFile {
  if (!validateFile(data)) {
    const e = validateFile.errors?.[0];
    const detail = e
      ? `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`
      : 'invalid';
    throw new ContainerError('invalid-preset', `${where} is not a valid Inference Lab preset: ${detail.trim()}.`);
  }
  checkPreset(data.preset);
  // Options are checked against the preset as far as they go before a launch (ports, names, secrets);
  // params and volumes may be left for the launch to ask for.
  const o = data.options;
  const params = { ...Object.fromEntries(data.preset.params.map((p) => [p.name, 'x'])), ...o.params };
  const volumes = { ...Object.fromEntries(data.preset.volumes.map((v) => [v.role, '/x'])), ...o.volumes };
  validateLaunchInput(data.preset, { ...o, params, volumes });
  return data;
}

export async function loadPresetFile(path: string): Promise<PresetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ContainerError(
      'invalid-preset',
      `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ContainerError('invalid-preset', `${path} is not valid JSON: ${(e as Error).message}.`);
  }
  return parsePresetFile(data, path);
}

/** The file's text (stable key order as given, 2-space indent, trailing newline). */
export function serializePresetFile(preset: ServerPreset, options: LaunchOptions): string {
  const file: PresetFile = { kind: presetFileKind, version: 1, preset, options };
  parsePresetFile(JSON.parse(JSON.stringify(file)), 'the preset to save');
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function savePresetFile(path: string, preset: ServerPreset, options: LaunchOptions): Promise<void> {
  const text = serializePresetFile(preset, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}
