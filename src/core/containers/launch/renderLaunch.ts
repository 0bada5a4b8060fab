/**
 * A launch as `docker run` and as a compose service, resolved exactly as the
 * core's `launch` resolves it (same bind address rule, same home folder), so
 * the copied text starts the same container. Secrets appear by name only.
 */
import { homedir } from 'node:os';
import { resolveLaunch, type LaunchSpec } from '../../docker/launch/launchSpec';
import type { LaunchOptions, ServerPreset } from '../../docker/presets/presetTypes';
import { renderCompose } from '../../docker/launch/renderCompose';
import { renderDockerRun } from '../../docker/launch/renderRun';

/** Throws an 'invalid-preset' ContainerError naming the first problem. */
export function specFor(preset: ServerPreset, options: LaunchOptions, engine: { isLocal: boolean }): LaunchSpec {
  const bindAddress = options.bindAddress ?? (engine.isLocal ? undefined : '0.0.0.0');
  return resolveLaunch(preset, { ...options, bindAddress }, { homeDir: homedir() });
}

export type RenderFormat = 'run' | 'compose';

export function renderLaunch(
  format: RenderFormat,
  preset: ServerPreset,
  options: LaunchOptions,
  engine: { isLocal: boolean },
): string {
  const spec = specFor(preset, options, engine);
  return format === 'run' ? renderDockerRun(spec) : renderCompose(spec);
}

/** Why these options cannot launch (first problem), or undefined. */
export function optionsProblem(preset: ServerPreset, options: LaunchOptions): string | undefined {
  try {
    specFor(preset, options, { isLocal: true });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
