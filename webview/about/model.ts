import type { AboutStatus } from '../../src/shared/messages/about';

/** Pure view model of the About panel (unit-tested in plain Node). */
export function aboutRows(s: AboutStatus): {
  environment: Array<[string, string]>;
  components: Array<[string, string]>;
  settings: Array<[string, string]>;
} {
  return {
    environment: [
      ['Extension version', s.version],
      ['VS Code', `${s.vscodeVersion} (${s.uiKind}${s.remoteName ? `, remote ${s.remoteName}` : ''})`],
      ['Extension host', `Node ${s.nodeVersion} on ${s.platform}`],
      ['Activation time', `${s.activationMs} ms`],
      ['Workspace trust', s.workspaceTrusted ? 'trusted' : 'restricted mode'],
      ['Log level', s.logLevel],
    ],
    components: s.components.map((c) => [c.name, c.detail ? `${c.state}: ${c.detail}` : c.state]),
    settings: s.settings.map((x) => [x.key, x.value]),
  };
}
