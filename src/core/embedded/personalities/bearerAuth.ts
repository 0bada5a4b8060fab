/** `Authorization: Bearer <key>` checks in constant time (the key never reaches a log or a message). */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An API key from a personality's options, or undefined when none is configured. */
export function apiKeyOption(options: Readonly<Record<string, unknown>>): string | undefined {
  const k = options.apiKey;
  return typeof k === 'string' && k.length ? k : undefined;
}

export function hasBearer(req: IncomingMessage, key: string): boolean {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || !/^bearer /i.test(h)) return false;
  const given = Buffer.from(h.slice(7).trim());
  const want = Buffer.from(key);
  return given.length === want.length && timingSafeEqual(given, want);
}
