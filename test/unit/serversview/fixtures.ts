import type { ServerViewState } from '../../../src/core/servers/view/viewState';
import type { TreeInput } from '../../../src/core/servers/view/treeModel';

/** A ready vLLM server with one model and some gauges; override what a test is about. */
export function readyServer(over: Partial<ServerViewState> = {}): ServerViewState {
  return {
    key: 'cfg:local',
    id: 'local',
    origin: 'configured',
    name: 'Local vLLM',
    url: 'http://localhost:8000',
    kind: 'vllm',
    version: '0.10.1',
    status: 'ready',
    evidence: 'GET /version → 0.10.1',
    probedAt: new Date(2026, 0, 1, 12, 3, 4).getTime(),
    durationMs: 35,
    models: [{ name: 'tiny-llm', ready: true }],
    gauges: { requestsRunning: 2, requestsQueued: 0, kvCacheUsage: 0.125 },
    metricsAvailable: true,
    endpoints: [{ label: 'HTTP', address: 'http://localhost:8000' }],
    ...over,
  };
}

export function input(over: Partial<TreeInput> = {}): TreeInput {
  return {
    configured: [readyServer()],
    problems: [],
    embedded: { phase: 'stopped', servers: [] },
    discovered: [],
    ...over,
  };
}
