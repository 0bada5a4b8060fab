/**
 * The request form's FormData → a draft. Field names follow the draft:
 * `prompt`, `temperature`, `msg.<i>.role`, `tensor.<i>.shape`,
 * `header.<i>.name`… Problems (a non-numeric temperature, a bad shape) are
 * collected, not thrown, so the form can show them all at once. Pure code.
 */
import type {
  ChatMessage,
  ImagePreprocess,
  RawHeader,
  RequestDraft,
  TensorDraft,
} from '../../src/shared/messages/request';

export interface FormResult {
  draft: RequestDraft;
  errors: string[];
}

type Fields = Map<string, string>;

function indexed(fields: Fields, prefix: string): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const [k, v] of fields) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`).exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (!out.has(i)) out.set(i, new Map());
    out.get(i)?.set(m[2], v);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

function num(
  fields: Fields,
  name: string,
  errors: string[],
  opts: { integer?: boolean; min?: number } = {},
): number | undefined {
  const raw = fields.get(name)?.trim();
  if (!raw) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
    errors.push(
      `${name}: "${raw}" is not ${opts.integer ? 'a whole number' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}`,
    );
    return undefined;
  }
  return v;
}

const lines = (s: string | undefined) => (s ?? '').split(/\r?\n/).filter((l) => l.trim() !== '');

function parseShape(raw: string, name: string, errors: string[]): number[] {
  const parts = raw
    .replace(/[[\]]/g, '')
    .split(/[,x×\s]+/)
    .filter(Boolean);
  const dims = parts.map(Number);
  if (!dims.length || dims.some((d) => !Number.isInteger(d) || d < 0)) {
    errors.push(`Input "${name}": shape "${raw}" must be whole numbers ≥ 0, e.g. 1, 3, 224, 224`);
    return [1];
  }
  return dims;
}

function tensors(fields: Fields, errors: string[]): TensorDraft[] {
  return [...indexed(fields, 'tensor').values()].map((t) => {
    const name = t.get('name') ?? '';
    const out: TensorDraft = {
      name,
      datatype: t.get('datatype') || 'FP32',
      shape: parseShape(t.get('shape') ?? '', name, errors),
      data: t.get('data') ?? '',
    };
    if (t.get('source') === 'image') {
      const image: ImagePreprocess = {
        path: t.get('image.path') ?? '',
        width: Number(t.get('image.width')) || 224,
        height: Number(t.get('image.height')) || 224,
        resize: t.get('image.resize') === 'stretch' ? 'stretch' : 'crop',
        layout: t.get('image.layout') === 'NHWC' ? 'NHWC' : 'NCHW',
        normalize: (['none', 'unit', 'imagenet'] as const).find((n) => n === t.get('image.normalize')) ?? 'unit',
      };
      if (!image.path) errors.push(`Input "${name}": choose an image file`);
      out.image = image;
    }
    return out;
  });
}

export function draftFromEntries(
  base: Pick<RequestDraft, 'template' | 'model'>,
  entries: Iterable<[string, string]>,
): FormResult {
  const fields: Fields = new Map();
  for (const [k, v] of entries) fields.set(k, v);
  const errors: string[] = [];
  const d: RequestDraft = { template: base.template, model: fields.get('model') ?? base.model };
  const has = (k: string) => fields.has(k);
  const messages: ChatMessage[] = [...indexed(fields, 'msg').values()].map((m) => ({
    role: (['system', 'user', 'assistant'] as const).find((r) => r === m.get('role')) ?? 'user',
    content: m.get('content') ?? '',
  }));
  if (messages.length) d.messages = messages;
  if (has('prompt')) d.prompt = fields.get('prompt');
  if (has('inputs')) d.inputs = lines(fields.get('inputs'));
  if (has('maxTokens') || has('temperature') || has('stop')) {
    d.params = {
      temperature: num(fields, 'temperature', errors, { min: 0 }),
      maxTokens: num(fields, 'maxTokens', errors, { integer: true, min: 1 }),
      stream: fields.get('stream') === 'on',
    };
    const stop = lines(fields.get('stop'));
    if (stop.length) d.params.stop = stop;
  }
  const t = tensors(fields, errors);
  if (t.length || base.template === 'kserve-infer') d.tensors = t;
  if (has('outputs'))
    d.outputs = (fields.get('outputs') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (has('encoding')) d.encoding = fields.get('encoding') === 'binary' ? 'binary' : 'json';
  if (has('kserveTransport'))
    d.kserveTransport =
      (['rest', 'grpc', 'grpc-stream'] as const).find((x) => x === fields.get('kserveTransport')) ?? 'rest';
  if (fields.get('modelVersion')?.trim()) d.modelVersion = fields.get('modelVersion')?.trim();
  if (has('bodyMode')) d.bodyMode = fields.get('bodyMode') === 'file' ? 'file' : 'json';
  if (has('filePath')) d.filePath = fields.get('filePath');
  if (has('tfFormat')) d.tfFormat = fields.get('tfFormat') === 'inputs' ? 'inputs' : 'instances';
  if (has('body')) d.body = fields.get('body');
  if (has('method')) d.method = fields.get('method');
  if (has('path')) d.path = fields.get('path');
  const headers: RawHeader[] = [...indexed(fields, 'header').values()]
    .map((h) => ({ name: h.get('name') ?? '', value: h.get('value') ?? '' }))
    .filter((h) => h.name.trim() || h.value.trim());
  if (base.template === 'raw') d.headers = headers;
  if (has('framing'))
    d.framing = (['auto', 'sse', 'ndjson', 'chunked'] as const).find((x) => x === fields.get('framing')) ?? 'auto';
  if (has('wsMessages')) d.wsMessages = lines(fields.get('wsMessages'));
  return { draft: d, errors };
}
