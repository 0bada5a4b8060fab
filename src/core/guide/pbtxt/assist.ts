import { tokenize } from './lexer';
import { cursorAt } from './cursor';
import { enumDef, fieldOf, messageAtPath } from './schema';
import type { FieldDef } from './schemaTypes';

export interface PbtxtCompletion {
  label: string;
  kind: 'field' | 'enum' | 'value';
  detail: string;
  doc: string;
  /** VS Code snippet syntax. */
  insertText: string;
  /** Sorts fields not yet set in this block first. */
  sortText: string;
}

export interface PbtxtHover {
  start: number;
  end: number;
  markdown: string;
}

const SOURCE = 'https://github.com/triton-inference-server/common/blob/main/protobuf/model_config.proto';

export function typeLabel(f: FieldDef): string {
  const t = f.type;
  const base = t.kind === 'enum' ? t.enum : t.kind === 'message' ? t.message : t.kind;
  return f.repeated ? `repeated ${base}` : base;
}

/** Completions at `offset`: field names of the enclosing message, or values (enums, bools, known strings) after `field:`. */
export function completePbtxt(text: string, offset: number): { items: PbtxtCompletion[]; start: number; end: number } {
  const c = cursorAt(text, offset);
  const message = messageAtPath(c.path);
  const range = { start: c.wordStart, end: c.wordEnd };
  if (!message) return { items: [], ...range };
  if (c.valueOf) {
    const f = fieldOf(message, c.valueOf);
    return { items: f ? valueItems(f) : [], ...range };
  }
  const items = message.fields.map((f): PbtxtCompletion => {
    const used = c.siblings.includes(f.name) && !f.repeated;
    return {
      label: f.name,
      kind: 'field',
      detail: typeLabel(f),
      doc: f.doc,
      insertText: fieldSnippet(f),
      sortText: `${used ? 1 : 0}${f.name}`,
    };
  });
  return { items, ...range };
}

function fieldSnippet(f: FieldDef): string {
  if (f.type.kind === 'message') return f.repeated ? `${f.name} [\n  {\n    $0\n  }\n]` : `${f.name} {\n  $0\n}`;
  if (f.repeated) return `${f.name}: [ $0 ]`;
  if (f.type.kind === 'string') return `${f.name}: "$0"`;
  return `${f.name}: $0`;
}

function valueItems(f: FieldDef): PbtxtCompletion[] {
  const t = f.type;
  if (t.kind === 'enum')
    return (enumDef(t.enum)?.values ?? []).map((v, i) => ({
      label: v.name,
      kind: 'enum',
      detail: t.enum,
      doc: v.doc,
      insertText: v.name,
      sortText: String(i).padStart(3, '0'),
    }));
  if (t.kind === 'bool')
    return ['true', 'false'].map((v, i) => ({
      label: v,
      kind: 'value',
      detail: 'bool',
      doc: f.doc,
      insertText: v,
      sortText: String(i),
    }));
  if (t.kind === 'string' && t.suggestions)
    return t.suggestions.map((v, i) => ({
      label: `"${v}"`,
      kind: 'value',
      detail: f.name,
      doc: f.doc,
      insertText: `"${v}"`,
      sortText: String(i).padStart(3, '0'),
    }));
  return [];
}

/** Hover text for the field name or enum value under `offset`. */
export function hoverPbtxt(text: string, offset: number): PbtxtHover | undefined {
  const toks = tokenize(text, true);
  const i = toks.findIndex((t) => t.start <= offset && offset <= t.end && t.kind === 'ident');
  if (i < 0) return undefined;
  const tok = toks[i];
  const next = toks[i + 1];
  const prev = toks[i - 1];
  const c = cursorAt(text, tok.start);
  const message = messageAtPath(c.path);
  if (!message) return undefined;
  const isName =
    next?.kind === 'punct' && [':', '{', '<'].includes(next.text) && !(prev?.kind === 'punct' && prev.text === ':');
  if (isName) {
    const f = fieldOf(message, tok.text);
    if (!f) return undefined;
    return {
      start: tok.start,
      end: tok.end,
      markdown: `**${f.name}** \`${typeLabel(f)}\` — ${message.name}\n\n${f.doc}\n\n[model_config.proto](${SOURCE})`,
    };
  }
  if (c.valueOf) {
    const f = fieldOf(message, c.valueOf);
    if (f?.type.kind !== 'enum') return undefined;
    const v = enumDef(f.type.enum)?.values.find((x) => x.name === tok.text);
    if (!v) return undefined;
    return { start: tok.start, end: tok.end, markdown: `**${v.name}** — ${f.type.enum}\n\n${v.doc}` };
  }
  return undefined;
}
