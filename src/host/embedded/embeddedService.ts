import type * as vscode from 'vscode';
import type { EmbeddedController, EmbeddedState } from './embeddedController';

/**
 * What other parts of the host (request panel, benchmark UI) ask of the
 * embedded server: "the embedded vLLM URL", starting it on first use.
 *
 * Endpoint names are those of the server's `listening` event: `vllm`,
 * `triton`, `tritonGrpc` (host:port), `tritonMetrics`, `tgi`, `ollama`,
 * `torchserve`, `torchserveManagement`, `torchserveMetrics`, `tfserving`,
 * `tei`, `rayserve`. HTTP ones are URLs without a trailing slash.
 */
export interface EmbeddedEndpoints {
  readonly onDidChange: vscode.Event<EmbeddedState>;
  readonly state: EmbeddedState;
  /** The address of a running endpoint, or undefined when not running. */
  endpoint(name: string): string | undefined;
  /**
   * The address of an endpoint, starting the server first if it is stopped
   * and `inferenceLab.embeddedServer.enabled` allows it. Undefined when
   * disabled or when no personality has that endpoint. Throws a readable
   * Error when the server fails to start.
   */
  ensureEndpoint(name: string): Promise<string | undefined>;
}

export function embeddedEndpoints(controller: EmbeddedController, enabled: () => boolean): EmbeddedEndpoints {
  return {
    onDidChange: controller.onDidChange,
    get state() {
      return controller.state;
    },
    endpoint: (name) => (controller.state.phase === 'running' ? controller.state.endpoints[name] : undefined),
    async ensureEndpoint(name) {
      if (controller.state.phase !== 'running') {
        if (!enabled()) return undefined;
        await controller.start();
      }
      return controller.state.endpoints[name];
    },
  };
}

/** One line per component for the About panel. */
export function embeddedComponent(state: EmbeddedState): { name: string; state: string; detail?: string } {
  const detail =
    state.phase === 'running'
      ? state.personalities
          .map((p) => `${p.name} ${p.endpoints[p.name] ?? Object.values(p.endpoints)[0] ?? ''}`)
          .join(', ')
      : state.error;
  return { name: 'Embedded server', state: state.phase, detail };
}
