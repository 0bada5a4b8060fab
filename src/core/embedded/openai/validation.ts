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
  const lines = problems.map((p) => `  {'type': '${p.type}', 'loc': (${p.loc.map(pyRepr).join(', ')}), 'msg': '${p.msg.replace(/'/g, "\\'")}'}`);
  return `${problems.length} validation error${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

type Check = (v: unknown) => FieldProblem['type'] | undefined;

const CHECKS: Record<string, { check: Check; msg: string }> = {
  string: { check: (v) => (typeof v === 'string' ? undefined : 'string_type'), msg: 'Input should be a valid string' },
  int: { check: (v) => (Number.isInteger(v) ? undefined : 'int_type'), msg: 'Input should be a valid integer' },
  number: { check: (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'float_type'), msg: 'Input should be a valid number' },
  bool: { check: (v) => (typeof v === 'boolean' ? undefined : 'bool_type'), msg: 'Input should be a valid boolean' },
  list: { check: (v) => (Array.isArray(v) ? undefined : 'list_type'), msg: 'Input should be a valid list' },
  object: { check: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'dict_type'), msg: 'Input should be a valid dictionary' },
};

/** Collects problems of one body; `done()` throws ValidationFailure if any. */
export class BodyChecker {
  readonly problems: FieldProblem[] = [];
  constructor(readonly body: Record<string, unknown>) {}

  /** Checks an optional field's type; returns the value when valid. */
  opt<T>(field: string, kind: keyof typeof CHECKS): T | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    const c = CHECKS[kind];
    const type = c.check(v);
    if (type) {
      this.problems.push({ type, loc: ['body', field], msg: c.msg });
      return undefined;
    }
    return v as T;
  }

  /** Like `opt` but the field must be present. */
  req<T>(field: string, kind: keyof typeof CHECKS): T | undefined {
    if (this.body[field] === undefined) {
      this.problems.push({ type: 'missing', loc: ['body', field], msg: 'Field required' });
      return undefined;
    }
    return this.opt<T>(field, kind);
  }

  /** An optional integer with a lower bound. */
  intAtLeast(field: string, min: number): number | undefined {
    const v = this.opt<number>(field, 'int');
    if (v !== undefined && v < min) {
      this.problems.push({ type: 'greater_than_equal', loc: ['body', field], msg: `Input should be greater than or equal to ${min}` });
      return undefined;
    }
    return v;
  }

  /** `stop`-style field: a string or a list of strings. */
  stringOrList(field: string): string[] | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    this.problems.push({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string or list of strings' });
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
  return new ValidationFailure([{ type: reason === 'not an object' ? 'model_attributes_type' : 'json_invalid', loc: ['body'], msg: reason === 'not an object' ? 'Input should be a valid dictionary or object to extract fields from' : `JSON decode error: ${reason}` }]);
}
