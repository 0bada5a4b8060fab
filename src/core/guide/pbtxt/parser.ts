import { syntaxError, tokenize, type PbToken } from './lexer';

export type PbScalar = {
  kind: 'scalar';
  token: Extract<PbToken, { kind: 'ident' | 'number' | 'string' }>;
  start: number;
  end: number;
};
export type PbMessage = { kind: 'message'; fields: PbField[]; start: number; end: number };
export type PbList = { kind: 'list'; items: Array<PbScalar | PbMessage>; start: number; end: number };
export type PbValue = PbScalar | PbMessage | PbList;

export interface PbField {
  name: string;
  nameStart: number;
  nameEnd: number;
  value: PbValue;
}

/**
 * Parses protobuf text format (the syntax of Triton's config.pbtxt) into a
 * tree with source offsets. Accepts `field: value`, `field { … }`,
 * `field: { … }`, `field < … >`, lists `field: [ a, b ]` and `field [ {…}, {…} ]`,
 * optional `,`/`;` separators and `#` comments; adjacent strings concatenate.
 * Throws PbtxtSyntaxError with a line and column on bad input.
 */
export function parsePbtxt(text: string): PbMessage {
  const toks = tokenize(text);
  let pos = 0;
  const peek = () => toks[pos];
  const at = () => (pos < toks.length ? toks[pos].start : text.length);
  const fail = (msg: string): never => {
    throw syntaxError(text, at(), msg);
  };
  const isPunct = (t: PbToken | undefined, p: string) => t?.kind === 'punct' && t.text === p;

  function message(close: '}' | '>' | null, start: number): PbMessage {
    const fields: PbField[] = [];
    while (pos < toks.length && !(close && isPunct(peek(), close))) {
      const t = peek();
      if (t.kind !== 'ident') fail(`expected a field name, found '${t.text}'`);
      pos++;
      const colon = isPunct(peek(), ':');
      if (colon) pos++;
      fields.push({ name: t.text, nameStart: t.start, nameEnd: t.end, value: value(t.text, colon) });
      if (isPunct(peek(), ',') || isPunct(peek(), ';')) pos++;
    }
    if (close) {
      if (pos >= toks.length) fail(`'${close}' missing: the block opened at offset ${start} is not closed`);
      pos++;
    }
    return { kind: 'message', fields, start, end: pos > 0 ? toks[pos - 1].end : start };
  }

  function value(field: string, hadColon: boolean): PbValue {
    const t = peek();
    if (!t) return fail(`value of '${field}' missing`);
    if (isPunct(t, '[')) {
      pos++;
      const items: Array<PbScalar | PbMessage> = [];
      while (!isPunct(peek(), ']')) {
        if (!peek()) fail(`']' missing after the list of '${field}'`);
        items.push(single(field, true));
        if (!peek()) fail(`']' missing after the list of '${field}'`);
        if (isPunct(peek(), ',')) pos++;
        else if (!isPunct(peek(), ']')) fail(`expected ',' or ']' in the list of '${field}'`);
      }
      pos++;
      return { kind: 'list', items, start: t.start, end: toks[pos - 1].end };
    }
    if (!hadColon && !isPunct(t, '{') && !isPunct(t, '<')) fail(`expected ':' or '{' after '${field}'`);
    return single(field, hadColon);
  }

  function single(field: string, scalarAllowed: boolean): PbScalar | PbMessage {
    const t = peek();
    if (isPunct(t, '{') || isPunct(t, '<')) {
      pos++;
      return message(t.text === '{' ? '}' : '>', t.start);
    }
    if (!scalarAllowed || !t || t.kind === 'punct') return fail(`expected a value for '${field}'`);
    pos++;
    if (t.kind === 'string') {
      // Adjacent string literals form one value ("a" "b" == "ab").
      let merged = t;
      while (peek()?.kind === 'string') {
        const n = toks[pos++] as typeof t;
        merged = { ...merged, value: merged.value + n.value, text: text.slice(merged.start, n.end), end: n.end };
      }
      return { kind: 'scalar', token: merged, start: merged.start, end: merged.end };
    }
    return { kind: 'scalar', token: t, start: t.start, end: t.end };
  }

  return message(null, 0);
}
