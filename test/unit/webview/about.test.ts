import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aboutRows } from '../../../webview/about/model';

describe('About panel view model', () => {
  it('turns the status into labelled rows', () => {
    const rows = aboutRows({
      version: '0.1.0',
      vscodeVersion: '1.100.3',
      uiKind: 'web',
      remoteName: '127.0.0.1:1234',
      activationMs: 4.2,
      nodeVersion: 'v20.20.2',
      platform: 'linux-x64',
      workspaceTrusted: false,
      logLevel: 'Info',
      settings: [{ key: 'inferenceLab.x', value: 'true' }],
      components: [
        { name: 'Embedded server', state: 'running', detail: '8 personalities' },
        { name: 'Docker', state: 'not checked' },
      ],
    });
    assert.deepEqual(rows.environment[1], ['VS Code', '1.100.3 (web, remote 127.0.0.1:1234)']);
    assert.deepEqual(rows.environment[4], ['Workspace trust', 'restricted mode']);
    assert.deepEqual(rows.components, [
      ['Embedded server', 'running: 8 personalities'],
      ['Docker', 'not checked'],
    ]);
    assert.deepEqual(rows.settings, [['inferenceLab.x', 'true']]);
  });
});
