/**
 * Commands that guide pages, walkthrough steps and hovers may link to with
 * `command:` URIs. Other areas of the extension register most of them; the
 * guide panel checks at click time that a command exists before running it.
 */
export const GuideCommandIds = {
  openGuide: 'inferenceLab.guide.open',
  searchGuide: 'inferenceLab.guide.search',
  openWalkthrough: 'inferenceLab.guide.openWalkthrough',
} as const;

export const LinkableCommandIds = [
  'inferenceLab.servers.add',
  'inferenceLab.embedded.start',
  'inferenceLab.containers.launch',
  'inferenceLab.request.new',
  'inferenceLab.bench.run',
  'inferenceLab.about.show',
  'inferenceLab.log.show',
  GuideCommandIds.openGuide,
  GuideCommandIds.searchGuide,
  GuideCommandIds.openWalkthrough,
] as const;

/** Container presets `inferenceLab.containers.launch` accepts as its argument. */
export const ContainerPresetIds = ['triton', 'vllm', 'tgi', 'ollama', 'torchserve', 'tfserving', 'tei'] as const;

/** Benchmark groups `inferenceLab.bench.run` accepts as `{group}`. */
export const BenchGroups = ['image-classification', 'text-generation', 'embeddings'] as const;

/** Human names for command links, used in messages when a command is missing. */
export const CommandTitles: Readonly<Record<string, string>> = {
  'inferenceLab.servers.add': 'Add Server',
  'inferenceLab.embedded.start': 'Start Embedded Server',
  'inferenceLab.containers.launch': 'Launch Inference Server',
  'inferenceLab.request.new': 'New Request',
  'inferenceLab.bench.run': 'Run Benchmark',
  'inferenceLab.about.show': 'About / Status',
  'inferenceLab.log.show': 'Show Log',
  [GuideCommandIds.openGuide]: 'Open Guide',
  [GuideCommandIds.searchGuide]: 'Search Guide',
  [GuideCommandIds.openWalkthrough]: 'Getting Started',
};
