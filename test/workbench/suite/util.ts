import * as vscode from 'vscode';

export const EXTENSION_ID = 'inference-lab.inference-lab';

/** Activates the extension under test and returns its exports. */
export async function activateExtension<T = unknown>(): Promise<{ ext: vscode.Extension<T>; api: T }> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  return { ext, api };
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Why tests were skipped, by the full title of the test or suite that skipped (read by index.ts). */
export function skipReasons(): Map<string, string> {
  const g = globalThis as { __inferenceLabSkipReasons?: Map<string, string> };
  return (g.__inferenceLabSkipReasons ??= new Map());
}

/**
 * Skips the current test (or, from a `before` hook, the suite) and records
 * why: under CI=true a skipped test fails the run, named with this reason.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const title = ctx.currentTest?.fullTitle() ?? ctx.test?.parent?.fullTitle() ?? ctx.test?.fullTitle() ?? '';
  skipReasons().set(title, reason);
  console.log(`skipped: ${title}: ${reason}`);
  ctx.skip();
}
