import { tokenize, type PbToken } from './lexer';

export interface PbtxtCursor {
  /** Field names of the enclosing messages, outermost first (empty at the top level). */
  path: string[];
  /** Set when the cursor is where a value of this field goes (after `field:` or inside `field: [ … ]`). */
  valueOf?: string;
  /** The identifier being typed at the cursor (may be empty) and its range. */
  word: string;
  wordStart: number;
  wordEnd: number;
  /** Field names already present in the innermost message before the cursor. */
  siblings: string[];
}

interface Frame {
  field: string;
  list: boolean;
  seen: string[];
}

/**
 * Where the cursor is in a (possibly half-written) config.pbtxt: which
 * message it is in and whether a field name or a value is expected. Tolerant
 * of syntax errors, since the file is being edited.
 */
export function cursorAt(text: string, offset: number): PbtxtCursor {
  let wordStart = offset;
  while (wordStart > 0 && /[A-Za-z0-9_]/.test(text[wordStart - 1])) wordStart--;
  let wordEnd = offset;
  while (wordEnd < text.length && /[A-Za-z0-9_]/.test(text[wordEnd])) wordEnd++;
  const toks = tokenize(text.slice(0, wordStart), true);
  const stack: Frame[] = [{ field: '', list: false, seen: [] }];
  let pending: string | undefined;
  let afterColon = false;
  const top = () => stack[stack.length - 1];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct') {
      if (t.text === ':') afterColon = true;
      else if (t.text === '{' || t.text === '<') {
        stack.push({ field: pending ?? (top().list ? top().field : '?'), list: false, seen: [] });
        pending = undefined;
        afterColon = false;
      } else if (t.text === '[') {
        stack.push({ field: pending ?? '?', list: true, seen: [] });
        pending = undefined;
        afterColon = false;
      } else if ((t.text === '}' || t.text === '>' || t.text === ']') && stack.length > 1) stack.pop();
      continue;
    }
    if (t.kind === 'ident' && !afterColon && !top().list) {
      pending = t.text;
      top().seen.push(t.text);
      continue;
    }
    // A scalar value ends the pending field (unless we are inside a list of scalars).
    if (!top().list) pending = undefined;
    afterColon = false;
  }
  const path = stack
    .slice(1)
    .filter((f) => !f.list)
    .map((f) => f.field);
  const last = toks[toks.length - 1] as PbToken | undefined;
  let valueOf: string | undefined;
  if (last?.kind === 'punct' && last.text === ':' && pending) valueOf = pending;
  else if (top().list) valueOf = top().field;
  const inner = [...stack].reverse().find((f) => !f.list) as Frame;
  return { path, valueOf, word: text.slice(wordStart, wordEnd), wordStart, wordEnd, siblings: inner.seen };
}
