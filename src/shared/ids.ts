/**
 * Every id the extension registers with VS Code, in one vscode-free table that
 * host, core (guide links) and tests share; no other file spells an id.
 * package.json's contributes.commands must list exactly the CommandIds
 * (checked by a workbench test). Naming: inferenceLab.<area>.<verb>.
 */
export const CommandIds = {
  showAbout: 'inferenceLab.about.show',
  showLog: 'inferenceLab.log.show',
  // Servers view
  addServer: 'inferenceLab.servers.add',
  editServer: 'inferenceLab.servers.edit',
  removeServer: 'inferenceLab.servers.remove',
  refreshServers: 'inferenceLab.servers.refresh',
  copyServerUrl: 'inferenceLab.servers.copyUrl',
  openServerMetrics: 'inferenceLab.servers.openMetrics',
  startEmbedded: 'inferenceLab.embedded.start',
  stopEmbedded: 'inferenceLab.embedded.stop',
  // Request panel
  newRequest: 'inferenceLab.request.new',
  openRequestFile: 'inferenceLab.request.openFile',
  // Benchmarks
  benchRun: 'inferenceLab.bench.run',
  benchRunOn: 'inferenceLab.bench.runOn',
  benchRunSpec: 'inferenceLab.bench.runSpec',
  benchCancel: 'inferenceLab.bench.cancel',
  runsOpen: 'inferenceLab.runs.open',
  runsCompare: 'inferenceLab.runs.compare',
  runsRename: 'inferenceLab.runs.rename',
  runsDelete: 'inferenceLab.runs.delete',
  runsSetBaseline: 'inferenceLab.runs.setBaseline',
  runsExport: 'inferenceLab.runs.export',
  runsRefresh: 'inferenceLab.runs.refresh',
  runsImport: 'inferenceLab.runs.import',
  // Containers
  launchContainer: 'inferenceLab.containers.launch',
  containerLogs: 'inferenceLab.containers.showLogs',
  containerRestart: 'inferenceLab.containers.restart',
  containerStop: 'inferenceLab.containers.stop',
  containerRemove: 'inferenceLab.containers.remove',
  containerCopyRun: 'inferenceLab.containers.copyDockerRun',
  containerCopyCompose: 'inferenceLab.containers.copyCompose',
  containerSavePreset: 'inferenceLab.containers.savePreset',
  containerOpenRequest: 'inferenceLab.containers.openRequest',
  containerRunBenchmark: 'inferenceLab.containers.runBenchmark',
  containerSetHfToken: 'inferenceLab.containers.setHfToken',
  // Guide
  openGuide: 'inferenceLab.guide.open',
  searchGuide: 'inferenceLab.guide.search',
  openWalkthrough: 'inferenceLab.guide.openWalkthrough',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** Views of the activity-bar container (package.json contributes.views). */
export const ViewIds = {
  servers: 'inferenceLab.views.servers',
  runs: 'inferenceLab.views.runs',
} as const;

/** VS Code's built-in command that reveals a view. */
export const focusViewCommand = (view: (typeof ViewIds)[keyof typeof ViewIds]): string => `${view}.focus`;

/** Webview panel types (serializers, activation events) and the custom editor of saved requests. */
export const PanelTypes = {
  about: 'inferenceLab.about',
  guide: 'inferenceLab.guide',
  results: 'inferenceLab.results',
  request: 'inferenceLab.request',
  requestFileEditor: 'inferenceLab.request.file',
} as const;

/** Other registered ids: context keys for `when` clauses, the status bar item, diagnostic collections. */
export const ContextKeys = { embeddedRunning: 'inferenceLab.embeddedRunning' } as const;
export const StatusBarIds = { servers: 'inferenceLab.servers.status' } as const;
export const DiagnosticIds = { benchSpec: 'inferenceLab.benchSpec' } as const;
