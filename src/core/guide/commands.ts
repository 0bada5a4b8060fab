/**
 * Commands that guide pages, walkthrough steps and hovers may link to with
 * `command:` URIs. Other areas of the extension register most of them; the
 * guide panel checks at click time that a command exists before running it.
 */
import { CommandIds } from '../../shared/ids';
import { benchGroups } from '../../shared/benchGroups';
import { builtinPresets } from '../docker/presets/presets';

export const GuideCommandIds = {
  openGuide: CommandIds.openGuide,
  searchGuide: CommandIds.searchGuide,
  openWalkthrough: CommandIds.openWalkthrough,
} as const;

export const LinkableCommandIds = [
  CommandIds.addServer,
  CommandIds.startEmbedded,
  CommandIds.launchContainer,
  CommandIds.newRequest,
  CommandIds.benchRun,
  CommandIds.showAbout,
  CommandIds.showLog,
  GuideCommandIds.openGuide,
  GuideCommandIds.searchGuide,
  GuideCommandIds.openWalkthrough,
] as const;

/** Container presets `inferenceLab.containers.launch` accepts as its argument. */
export const ContainerPresetIds: readonly string[] = builtinPresets.map((p) => p.id);

/** Benchmark groups `inferenceLab.bench.run` accepts as `{group}`. */
export const BenchGroups: readonly string[] = benchGroups;

/** Human names for command links, used in messages when a command is missing. */
export const CommandTitles: Readonly<Record<string, string>> = {
  [CommandIds.addServer]: 'Add Server',
  [CommandIds.startEmbedded]: 'Start Embedded Server',
  [CommandIds.launchContainer]: 'Launch Inference Server',
  [CommandIds.newRequest]: 'New Request',
  [CommandIds.benchRun]: 'Run Benchmark',
  [CommandIds.showAbout]: 'About / Status',
  [CommandIds.showLog]: 'Show Log',
  [GuideCommandIds.openGuide]: 'Open Guide',
  [GuideCommandIds.searchGuide]: 'Search Guide',
  [GuideCommandIds.openWalkthrough]: 'Getting Started',
};
