/**
 * Every command ID of the extension, in one table. package.json's
 * contributes.commands must list exactly these (checked by a workbench test).
 * Naming: inferenceLab.<area>.<verb>.
 */
export const CommandIds = {
  showAbout: 'inferenceLab.about.show',
  showLog: 'inferenceLab.log.show',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
