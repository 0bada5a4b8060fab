import * as vscode from 'vscode';
import type { ContainerError } from '../../../core/docker/errors';
import { openLearnMore } from '../../guide/learnMore';
import { actionLabels, presentError, type ErrorAction } from '../../../core/containers/launch/errorActions';

export interface ErrorHandlers {
  /** The one-click CPU retry (offered when the preset runs on CPU). */
  onCpu?: () => unknown;
  /** Asks for another host port and launches again. */
  onPort?: () => unknown;
  /** Where the container's output went. */
  output?: vscode.OutputChannel;
  /** The server kind, for "Learn more" on the right guide page. */
  serverKind?: string;
}

/**
 * Shows a container failure: the core's message and fix in one line, and the
 * buttons that help (Launch on CPU, Choose Another Port, Show Output, Docker
 * Settings, Learn more). Not awaited by callers: a notification can stay open.
 */
export async function showContainerError(e: ContainerError, h: ErrorHandlers = {}): Promise<void> {
  const p = presentError(e, h.serverKind);
  const offered = p.actions.filter(
    (a) => (a !== 'cpu' || h.onCpu) && (a !== 'port' || h.onPort) && (a !== 'output' || h.output),
  );
  const label = await vscode.window.showErrorMessage(p.text, ...offered.map((a) => actionLabels[a]));
  const action = offered.find((a) => actionLabels[a] === label) as ErrorAction | undefined;
  if (action === 'cpu') await h.onCpu?.();
  else if (action === 'port') await h.onPort?.();
  else if (action === 'output') h.output?.show(true);
  else if (action === 'settings')
    await vscode.commands.executeCommand('workbench.action.openSettings', 'inferenceLab.docker');
  else if (action === 'learn') await openLearnMore(p.topic);
}
