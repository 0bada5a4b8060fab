/**
 * What the Run Benchmark picker's workload entries share: the context they
 * build a spec in, and the input box asking for a few comma-separated numbers.
 * Each workload that asks for its settings has its own small file
 * (pickOffline, pickSessions, pickLora, pickSharedPrefix).
 */
import * as vscode from 'vscode';
import type { BenchGroup, BenchSpec } from '../../core/bench/spec';
import type { PresetName } from '../../core/results/presets';
import type { ServerChoice } from '../../shared/servers';

export interface WorkloadContext {
  title: string;
  server: ServerChoice;
  group: BenchGroup;
  model?: string;
}

/** A picker entry that asks for its settings and returns the spec to run (undefined: the user gave up). */
export interface WorkloadEntry<P extends string> extends vscode.QuickPickItem {
  p: P;
  ask(ctx: WorkloadContext): Promise<BenchSpec | undefined>;
}

/** The preset's spec for this server, group and model: what an entry starts from. */
export async function presetBase(preset: PresetName, ctx: WorkloadContext): Promise<BenchSpec> {
  const { presetSpec } = await import('../../core/results/presets.js');
  return presetSpec(preset, ctx.group, ctx.server.url, ctx.model);
}

/** The message of what `f` throws (an input box's complaint), undefined when it does not throw. */
export function thrownMessage(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const commaNumbers = (v: string): number[] => v.split(',').map((x) => Number(x.trim()));

/**
 * An input box for comma-separated numbers: `check` returns what is wrong with
 * them (shown under the box while typing), or undefined when they are fine.
 */
export async function askNumbers(
  ctx: WorkloadContext,
  prompt: string,
  value: string,
  check: (n: number[]) => string | undefined,
): Promise<number[] | undefined> {
  const answer = await vscode.window.showInputBox({
    title: ctx.title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => check(commaNumbers(v)),
  });
  return answer === undefined ? undefined : commaNumbers(answer);
}
