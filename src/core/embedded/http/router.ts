/**
 * A minimal router over node:http: exact paths are one Map lookup (the hot
 * path of a benchmark), patterns are tried in order. Unknown paths, wrong
 * methods and handler failures go to the personality's own responders so
 * each server keeps its error shapes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** `params` holds the pattern's capture groups (URL-decoded); `query` the parsed search string. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: string[],
  query: URLSearchParams,
) => void | Promise<void>;

export interface RouterFallbacks {
  notFound(req: IncomingMessage, res: ServerResponse): void;
  /** Path exists but not for this method; defaults to notFound. */
  methodNotAllowed?(req: IncomingMessage, res: ServerResponse, allowed: string[]): void;
  /** A handler threw or rejected (before or after headers were sent). */
  error(req: IncomingMessage, res: ServerResponse, e: unknown): void;
}

interface PatternRoute {
  pattern: RegExp;
  methods: Map<string, RouteHandler>;
}

const EMPTY_QUERY = new URLSearchParams();

export class Router {
  private readonly exact = new Map<string, Map<string, RouteHandler>>();
  private readonly patterns: PatternRoute[] = [];

  constructor(private readonly fallbacks: RouterFallbacks) {}

  /** Adds a route; `path` is exact or a RegExp matched against the whole path (anchor it). */
  on(methods: string | string[], path: string | RegExp, handler: RouteHandler): this {
    let table: Map<string, RouteHandler>;
    if (typeof path === 'string') {
      table = this.exact.get(path) ?? new Map();
      this.exact.set(path, table);
    } else {
      const existing = this.patterns.find((p) => p.pattern.source === path.source && p.pattern.flags === path.flags);
      table = existing?.methods ?? new Map();
      if (!existing) this.patterns.push({ pattern: path, methods: table });
    }
    for (const m of Array.isArray(methods) ? methods : [methods]) table.set(m.toUpperCase(), handler);
    return this;
  }

  /** The node:http request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? EMPTY_QUERY : new URLSearchParams(url.slice(q + 1));
    const method = req.method ?? 'GET';
    let params: string[] = [];
    let table = this.exact.get(path);
    if (!table) {
      for (const p of this.patterns) {
        const m = p.pattern.exec(path);
        if (m) {
          table = p.methods;
          params = m.slice(1).map(decodeParam);
          break;
        }
      }
    }
    if (!table) return this.fallbacks.notFound(req, res);
    const handler = table.get(method) ?? (method === 'HEAD' ? table.get('GET') : undefined);
    if (!handler) {
      const allowed = [...table.keys()];
      return this.fallbacks.methodNotAllowed
        ? this.fallbacks.methodNotAllowed(req, res, allowed)
        : this.fallbacks.notFound(req, res);
    }
    try {
      const r = handler(req, res, params, query);
      if (r) r.catch((e: unknown) => this.fallbacks.error(req, res, e));
    } catch (e) {
      this.fallbacks.error(req, res, e);
    }
  };
}

function decodeParam(s: string | undefined): string {
  if (s === undefined) return '';
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
