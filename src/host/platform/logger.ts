import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { redactText } from '../../shared/redact';

/**
 * Secret values this window has handled (stored API keys when read, launch
 * tokens, keys typed into a request's headers): masked wherever they would
 * reach a log or an output channel, whatever path brought them there.
 */
const knownSecrets = new Set<string>();

export function rememberSecret(value: string | undefined): void {
  const v = value?.trim();
  if (v && v.length >= 4) knownSecrets.add(v);
}

/** A line as it may be logged or shown: URL credentials and secret query parameters removed, keys masked. */
export function loggable(text: string): string {
  return redactText(text, knownSecrets);
}

const clean = (m: unknown): unknown =>
  typeof m === 'string' ? loggable(m) : m instanceof Error ? loggable(m.stack ?? m.message) : m;

/** The core Logger contract on top of the extension's single LogOutputChannel; every line is redacted first. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  const at =
    (write: (m: string, ...a: unknown[]) => void) =>
    (m: string | Error, ...a: unknown[]) =>
      write(clean(m) as string, ...a.map(clean));
  return {
    debug: at((m, ...a) => channel.debug(m, ...a)),
    info: at((m, ...a) => channel.info(m, ...a)),
    warn: at((m, ...a) => channel.warn(m, ...a)),
    error: at((m, ...a) => channel.error(m, ...a)),
  };
}

/** An output channel whose lines are redacted like the log's (the Containers channel shows launch steps and server logs). */
export function redactingOutput(channel: vscode.OutputChannel): vscode.OutputChannel {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === 'appendLine') return (v: string) => target.appendLine(loggable(v));
      if (prop === 'append') return (v: string) => target.append(loggable(v));
      if (prop === 'replace') return (v: string) => target.replace(loggable(v));
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
