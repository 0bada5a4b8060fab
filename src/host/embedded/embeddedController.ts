import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmbeddedServer } from '../../core/embedded/server';
import type { PersonalityEndpoints } from '../../core/servers/view/identities';
import type { EmbeddedPhase } from '../../core/servers/view/treeModel';
import type { Logger } from '../../core/util/logger';

/** What the embedded server is doing now, as the tree, the About panel and other panels see it. */
export interface EmbeddedState {
  phase: EmbeddedPhase;
  /** Why it failed, in words. */
  error?: string;
  personalities: PersonalityEndpoints[];
  /** Endpoint name → address of every running personality (`vllm`, `triton`, `tritonGrpc`, …). */
  endpoints: Record<string, string>;
  /** Names of the simulated models (TF Serving is checked with them: it cannot list). */
  modelNames: string[];
}

export interface EmbeddedSettings {
  enabled: boolean;
  /** 0 = free ports; otherwise personality ports are base + offset. */
  portBase: number;
  configFile?: string;
}

/**
 * Runs the embedded inference server inside the extension host, on demand.
 * The server's code is loaded with `import()` on first start, so activation
 * never pays for it. One start at a time; stop waits for a start in flight.
 */
export class EmbeddedController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EmbeddedState>();
  readonly onDidChange = this.changed.event;
  private server: EmbeddedServer | undefined;
  private current: EmbeddedState = { phase: 'stopped', personalities: [], endpoints: {}, modelNames: [] };
  private op: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: () => EmbeddedSettings,
    private readonly log: Logger,
  ) {}

  get state(): EmbeddedState {
    return this.current;
  }

  /** Starts the server (even when the setting disables automatic start); resolves to its endpoints. Throws a readable error. */
  start(): Promise<Record<string, string>> {
    return this.serialize(async () => {
      if (this.current.phase === 'running') return this.current.endpoints;
      this.set({ phase: 'starting', personalities: [], endpoints: {}, modelNames: [] });
      try {
        const server = await this.create();
        await server.start();
        this.server = server;
        const personalities = server.personalities.map((p) => ({
          name: p.name,
          title: p.title,
          endpoints: p.endpoints,
        }));
        this.set({
          phase: 'running',
          personalities,
          endpoints: server.endpoints,
          modelNames: server.models.list().map((m) => m.name),
        });
        return server.endpoints;
      } catch (e) {
        const error = `The embedded server did not start: ${e instanceof Error ? e.message : String(e)}`;
        this.log.error(error);
        this.set({ phase: 'failed', error, personalities: [], endpoints: {}, modelNames: [] });
        throw new Error(error);
      }
    });
  }

  stop(): Promise<void> {
    return this.serialize(async () => {
      const server = this.server;
      this.server = undefined;
      if (!server) return this.set({ phase: 'stopped', personalities: [], endpoints: {}, modelNames: [] });
      this.set({ ...this.current, phase: 'stopping' });
      await server.stop().catch((e: unknown) => this.log.error(`embedded server stop: ${String(e)}`));
      this.set({ phase: 'stopped', personalities: [], endpoints: {}, modelNames: [] });
    });
  }

  /** Restarts a running server (settings changed); a stopped one stays stopped. */
  async restartIfRunning(): Promise<void> {
    if (this.current.phase !== 'running') return;
    await this.stop();
    await this.start();
  }

  dispose(): void {
    // Extension host shutdown: close the ports; nobody awaits dispose().
    void this.stop().finally(() => this.changed.dispose());
  }

  private async create(): Promise<EmbeddedServer> {
    const [{ EmbeddedServer }, { loadConfigFile }] = await Promise.all([
      import('../../core/embedded/server.js'),
      import('../../core/embedded/config.js'),
    ]);
    const s = this.settings();
    const file = s.configFile ? resolveConfigPath(s.configFile) : undefined;
    const config = file ? await loadConfigFile(file) : {};
    // The setting wins when set; otherwise the config file's base; otherwise free ports.
    const portBase = s.portBase || config.portBase || 0;
    return new EmbeddedServer({ ...config, portBase }, { logger: this.log });
  }

  private set(state: EmbeddedState): void {
    this.current = state;
    this.changed.fire(state);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.op.then(fn, fn);
    this.op = next.catch(() => undefined);
    return next;
  }
}

/** A relative config path is taken from the first workspace folder. */
function resolveConfigPath(file: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.isAbsolute(file) || !folder ? file : path.join(folder, file);
}
