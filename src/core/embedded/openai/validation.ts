/**
 * Request-body checks that report like vLLM's FastAPI/pydantic layer: a 400
 * whose message is `N validation error(s):\n  {…}` per problem and whose
 * `param` is the first location (e.g. `body.messages`).
 */
import { RequestError } from '../requestError';

export interface FieldProblem {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

/** A RequestError('validation') whose `param` is the first location, e.g. `body.messages`. */
export class ValidationFailure extends RequestError {
  constructor(readonly problems: FieldProblem[]) {
    super('validation', formatProblems(problems), problems[0]?.loc.join('.') ?? 'body');
  }
}

function pyRepr(v: string | number): string {
  return typeof v === 'number' ? String(v) : `'${v}'`;
}

function formatProblems(problems: FieldProblem[]): string {
  const lines = problems.map(
    (p) => `  {'type': '${p.type}', 'loc': (${p.loc.map(pyRepr).join(', ')}), 'msg': '${p.msg.replace(/'/g, "\\'")}'}`,
  );
  return `${problems.length} validation error${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

export type CheckKind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'object';

/** The pydantic error type of `v` for `kind`, or undefined when it fits (a switch: this runs per field per request). */
function problemType(kind: CheckKind, v: unknown): FieldProblem['type'] | undefined {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? undefined : 'string_type';
    case 'int':
      return Number.isInteger(v) ? undefined : 'int_type';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'float_type';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'bool_type';
    case 'list':
      return Array.isArray(v) ? undefined : 'list_type';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'dict_type';
  }
}

const MESSAGES: Record<CheckKind, string> = {
  string: 'Input should be a valid string',
  int: 'Input should be a valid integer',
  number: 'Input should be a valid number',
  bool: 'Input should be a valid boolean',
  list: 'Input should be a valid list',
  object: 'Input should be a valid dictionary',
};

/**
 * Collects problems of one body; `done()` throws ValidationFailure if any.
 * The `…Of` methods take the value read by the caller (`body.model`): a
 * named read per call site is cheaper than a lookup by a varying key.
 */
export class BodyChecker {
  readonly problems: FieldProblem[] = [];
  constructor(readonly body: Record<string, unknown>) {}

  /** Checks an optional field's type; returns the value when valid. */
  opt<T>(field: string, kind: CheckKind): T | undefined {
    return this.optOf<T>(field, this.body[field], kind);
  }

  /** `opt` for a value already read from the body. */
  optOf<T>(field: string, v: unknown, kind: CheckKind): T | undefined {
    if (v === undefined || v === null) return undefined;
    const type = problemType(kind, v);
    if (type) {
      this.problems.push({ type, loc: ['body', field], msg: MESSAGES[kind] });
      return undefined;
    }
    return v as T;
  }

  /** Like `opt` but the field must be present. */
  req<T>(field: string, kind: CheckKind): T | undefined {
    return this.reqOf<T>(field, this.body[field], kind);
  }

  reqOf<T>(field: string, v: unknown, kind: CheckKind): T | undefined {
    if (v === undefined) {
      this.problems.push({ type: 'missing', loc: ['body', field], msg: 'Field required' });
      return undefined;
    }
    return this.optOf<T>(field, v, kind);
  }

  /** An optional integer with a lower bound. */
  intAtLeast(field: string, min: number): number | undefined {
    return this.intAtLeastOf(field, this.body[field], min);
  }

  intAtLeastOf(field: string, value: unknown, min: number): number | undefined {
    const v = this.optOf<number>(field, value, 'int');
    if (v !== undefined && v < min) {
      this.problems.push({
        type: 'greater_than_equal',
        loc: ['body', field],
        msg: `Input should be greater than or equal to ${min}`,
      });
      return undefined;
    }
    return v;
  }

  /** `stop`-style field: a string or a list of strings. */
  stringOrList(field: string): string[] | undefined {
    return this.stringOrListOf(field, this.body[field]);
  }

  stringOrListOf(field: string, v: unknown): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    this.problems.push({
      type: 'string_type',
      loc: ['body', field],
      msg: 'Input should be a valid string or list of strings',
    });
    return undefined;
  }

  add(p: FieldProblem): void {
    this.problems.push(p);
  }

  done(): void {
    if (this.problems.length) throw new ValidationFailure(this.problems);
  }
}

/** The problem reported for a body that is not JSON or not an object. */
export function invalidBody(reason: string): ValidationFailure {
  return new ValidationFailure([
    {
      type: reason === 'not an object' ? 'model_attributes_type' : 'json_invalid',
      loc: ['body'],
      msg:
        reason === 'not an object'
          ? 'Input should be a valid dictionary or object to extract fields from'
          : `JSON decode error: ${reason}`,
    },
  ]);
}
