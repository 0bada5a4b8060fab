/**
 * Every command ID of the extension, in one table. package.json's
 * contributes.commands must list exactly these (checked by a workbench test).
 * Naming: inferenceLab.<area>.<verb>.
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
  benchRunSpec: 'inferenceLab.bench.runSpec',
  benchCancel: 'inferenceLab.bench.cancel',
  runsOpen: 'inferenceLab.runs.open',
  runsCompare: 'inferenceLab.runs.compare',
  runsRename: 'inferenceLab.runs.rename',
  runsDelete: 'inferenceLab.runs.delete',
  runsSetBaseline: 'inferenceLab.runs.setBaseline',
  runsExport: 'inferenceLab.runs.export',
  runsRefresh: 'inferenceLab.runs.refresh',
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
