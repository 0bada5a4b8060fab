import type { PbField, PbMessage, PbScalar, PbValue } from './parser';
import { enumDef, fieldOf, messageDef, ROOT_MESSAGE } from './schema';
import type { FieldDef, MessageDef } from './schemaTypes';

export interface PbtxtProblem {
  start: number;
  end: number;
  message: string;
}

/** Checks a parsed config.pbtxt against Triton's ModelConfig schema: field names, value kinds, enums, repetition, oneofs. */
export function validateModelConfig(root: PbMessage): PbtxtProblem[] {
  const problems: PbtxtProblem[] = [];
  checkMessage(root, messageDef(ROOT_MESSAGE) as MessageDef, problems);
  return problems;
}

function checkMessage(node: PbMessage, def: MessageDef, out: PbtxtProblem[]): void {
  const counts = new Map<string, number>();
  const oneofs = new Map<string, string>();
  for (const f of node.fields) {
    const fd = fieldOf(def, f.name);
    const at = (message: string, start = f.nameStart, end = f.nameEnd) => out.push({ start, end, message });
    if (!fd) {
      at(
        `'${f.name}' is not a field of ${def.name}${def.fields.length ? ` (fields: ${def.fields.map((x) => x.name).join(', ')})` : ''}`,
      );
      continue;
    }
    counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
    if (!fd.repeated && (counts.get(f.name) as number) > 1)
      at(`'${f.name}' is set more than once but is not a repeated field`);
    if (fd.oneof) {
      const other = oneofs.get(fd.oneof);
      if (other && other !== f.name) at(`'${f.name}' and '${other}' exclude each other: set only one of them`);
      oneofs.set(fd.oneof, f.name);
    }
    checkValue(f, fd, out);
  }
}

function checkValue(f: PbField, fd: FieldDef, out: PbtxtProblem[]): void {
  const items: Array<Exclude<PbValue, { kind: 'list' }>> = f.value.kind === 'list' ? f.value.items : [f.value];
  if (f.value.kind === 'list' && !fd.repeated)
    out.push({ start: f.value.start, end: f.value.end, message: `'${f.name}' takes one value, not a list` });
  for (const v of items) {
    if (fd.type.kind === 'message') {
      if (v.kind !== 'message')
        out.push({ start: v.start, end: v.end, message: `'${f.name}' is a message: write ${f.name} { … }` });
      else checkMessage(v, messageDef(fd.type.message) as MessageDef, out);
    } else if (v.kind !== 'scalar')
      out.push({ start: v.start, end: v.end, message: `'${f.name}' takes a ${fd.type.kind} value, not a block` });
    else {
      const problem = scalarProblem(v, fd);
      if (problem) out.push({ start: v.start, end: v.end, message: problem });
    }
  }
}

function scalarProblem(v: PbScalar, fd: FieldDef): string | undefined {
  const t = v.token;
  switch (fd.type.kind) {
    case 'string':
      return t.kind === 'string' ? undefined : `'${fd.name}' takes a quoted string`;
    case 'bool':
      return /^(true|false|t|f|True|False|1|0)$/.test(t.text) ? undefined : `'${fd.name}' takes true or false`;
    case 'int':
    case 'uint':
      if (t.kind !== 'number' || !/^[-+]?(\d+|0[xX][0-9a-fA-F]+)$/.test(t.text)) return `'${fd.name}' takes an integer`;
      return fd.type.kind === 'uint' && t.text.startsWith('-') ? `'${fd.name}' cannot be negative` : undefined;
    case 'float':
      return t.kind === 'number' ? undefined : `'${fd.name}' takes a number`;
    case 'enum': {
      const e = enumDef(fd.type.enum);
      if (t.kind === 'ident' && e?.values.some((x) => x.name === t.text)) return undefined;
      return `'${t.text}' is not a value of ${fd.type.enum} (${e?.values.map((x) => x.name).join(', ')})`;
    }
    default:
      return undefined;
  }
}
