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
  // Guide
  openGuide: 'inferenceLab.guide.open',
  searchGuide: 'inferenceLab.guide.search',
  openWalkthrough: 'inferenceLab.guide.openWalkthrough',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
