import * as vscode from 'vscode';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import { askSecret, secretKey, secretNames } from '../containerSecrets';
import { formatArgs, formatEnv, parseArgsText, parseEnvText } from '../../../core/containers/launch/choices';
import { optionsProblem } from '../../../core/containers/launch/renderLaunch';

/** One editable option: what it shows, and how typed text changes the options (or why it cannot). */
interface Field {
  label: string;
  value: string;
  prompt: string;
  text?: string;
  apply?: (o: LaunchOptions, text: string) => LaunchOptions | string;
  secret?: string;
}

function without<T extends object>(o: T, key: keyof T): T {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

/** A field whose text is parsed first; a parse error (a string) is the validation message. */
function parsed<T extends object>(parse: (t: string) => T | string, set: (o: LaunchOptions, v: T) => LaunchOptions) {
  return (o: LaunchOptions, t: string): LaunchOptions | string => {
    const v = parse(t);
    return typeof v === 'string' ? v : set(o, v);
  };
}

function fieldsOf(preset: ServerPreset, o: LaunchOptions): Field[] {
  const gpus = o.gpus ?? 'all';
  const fields: Field[] = [
    {
      label: 'Shared memory (--shm-size)',
      value: o.shmSize ?? preset.shmSize ?? 'Docker default (64m)',
      prompt: 'e.g. 1g or 512m; empty = the preset default. PyTorch workers and NCCL share tensors through /dev/shm.',
      text: o.shmSize ?? '',
      apply: (x, t) => (t.trim() ? { ...x, shmSize: t.trim() } : without(x, 'shmSize')),
    },
  ];
  for (const v of preset.volumes) {
    fields.push({
      label: `Volume ${v.role} → ${v.containerPath}`,
      value: o.volumes?.[v.role] ?? v.defaultSource ?? 'none',
      prompt: `${v.description} A host path (~/ allowed) or a volume name; empty = ${v.defaultSource ?? 'none'}.`,
      text: o.volumes?.[v.role] ?? '',
      apply: (x, t) => ({
        ...x,
        volumes: t.trim() ? { ...x.volumes, [v.role]: t.trim() } : without(x.volumes ?? {}, v.role),
      }),
    });
  }
  for (const p of preset.params.filter((x) => !x.required)) {
    fields.push({
      label: p.label,
      value: String(o.params?.[p.name] ?? p.default ?? 'not set'),
      prompt: `${p.description ?? p.label}; empty = not set.`,
      text: String(o.params?.[p.name] ?? ''),
      apply: (x, t) => ({
        ...x,
        params: t.trim() ? { ...x.params, [p.name]: t.trim() } : without(x.params ?? {}, p.name),
      }),
    });
  }
  fields.push(
    {
      label: 'Environment',
      value: formatEnv(o.env) || 'none',
      prompt: 'NAME=value pairs separated by commas. Credentials go in secret storage (the secrets below), never here.',
      text: formatEnv(o.env),
      apply: parsed(parseEnvText, (x, env) => ({ ...x, env })),
    },
    {
      label: 'Extra arguments',
      value: formatArgs(o.extraArgs) || 'none',
      prompt: 'Appended to the server command line, e.g. --gpu-memory-utilization 0.8',
      text: formatArgs(o.extraArgs),
      apply: parsed(parseArgsText, (x, extraArgs) => ({ ...x, extraArgs })),
    },
    {
      label: 'Image tag',
      value: o.tag ?? (gpus === 'none' && preset.cpuTag ? preset.cpuTag : preset.tag),
      prompt: `Tag of ${preset.image}; empty = the preset's.`,
      text: o.tag ?? '',
      apply: (x, t) => (t.trim() ? { ...x, tag: t.trim() } : without(x, 'tag')),
    },
    {
      label: 'Container name',
      value: o.name ?? 'automatic',
      prompt: `Empty = inference-lab-${preset.id}-<port>.`,
      text: o.name ?? '',
      apply: (x, t) => (t.trim() ? { ...x, name: t.trim() } : without(x, 'name')),
    },
    {
      label: 'Health timeout (seconds)',
      value: String(Math.round((o.healthTimeoutMs ?? preset.health.timeoutMs) / 1000)),
      prompt: 'How long to wait for the server to become ready (large models take minutes to download and load).',
      text: o.healthTimeoutMs ? String(o.healthTimeoutMs / 1000) : '',
      apply: (x, t) =>
        !t.trim()
          ? without(x, 'healthTimeoutMs')
          : Number(t) > 0
            ? { ...x, healthTimeoutMs: Math.round(Number(t) * 1000) }
            : 'Enter a number of seconds.',
    },
    {
      label: 'Bind address',
      value: o.bindAddress ?? '127.0.0.1 (this machine only)',
      prompt: '127.0.0.1 keeps the server on this machine; 0.0.0.0 exposes it to the network.',
      text: o.bindAddress ?? '',
      apply: (x, t) => (t.trim() ? { ...x, bindAddress: t.trim() } : without(x, 'bindAddress')),
    },
  );
  for (const name of secretNames(preset, o))
    fields.push({ label: `Secret ${name}`, value: '', prompt: '', secret: name });
  return fields;
}

async function edit(preset: ServerPreset, o: LaunchOptions, f: Field): Promise<LaunchOptions | undefined> {
  const apply = f.apply!;
  const text = await vscode.window.showInputBox({
    title: `Launch ${preset.label}: ${f.label}`,
    prompt: f.prompt,
    value: f.text,
    ignoreFocusOut: true,
    validateInput: (t) => {
      const r = apply(o, t);
      return typeof r === 'string' ? r : optionsProblem(preset, r);
    },
  });
  if (text === undefined) return undefined;
  const r = apply(o, text);
  return typeof r === 'string' ? undefined : r;
}

/** The advanced options menu: pick a field, edit it, come back; "Done" returns the options. */
export async function editAdvanced(
  secrets: vscode.SecretStorage,
  preset: ServerPreset,
  start: LaunchOptions,
): Promise<LaunchOptions> {
  let o = start;
  for (;;) {
    const fields = fieldsOf(preset, o);
    for (const f of fields)
      if (f.secret) f.value = (await secrets.get(secretKey(f.secret))) ? 'stored in secret storage' : 'not set';
    const items = [
      { label: '$(check) Done', field: undefined as Field | undefined },
      ...fields.map((f) => ({ label: f.label, description: f.value, field: f as Field | undefined })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Launch ${preset.label}: advanced options`,
      ignoreFocusOut: true,
    });
    if (!pick?.field) return o;
    if (pick.field.secret) await askSecret(secrets, pick.field.secret);
    else o = (await edit(preset, o, pick.field)) ?? o;
  }
}
