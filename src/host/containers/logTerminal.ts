import * as vscode from 'vscode';
import type { ContainerService } from '../../core/docker/engine/containerService';
import { loggable } from '../platform/logger';

/** Lines kept for `recent` (what a test or the caller can read back). */
const keep = 50;

/**
 * A terminal that follows a container's logs (the last 500 lines, then live),
 * with the colours the server prints. Closing the terminal stops following;
 * the log ends by itself when the container stops.
 */
export class LogTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private readonly closer = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closer.event;
  private readonly abort = new AbortController();
  /** Lines shown so far. */
  lines = 0;
  readonly recent: string[] = [];
  /** Resolves when following ends (container stopped, terminal closed, or an error shown). */
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: ContainerService,
    private readonly container: { id: string; name: string },
  ) {}

  open(): void {
    this.done = this.follow();
  }

  close(): void {
    this.abort.abort();
    this.writer.dispose();
    this.closer.dispose();
  }

  private async follow(): Promise<void> {
    try {
      for await (const line of this.service.logs(this.container.id, {
        follow: true,
        tail: 500,
        signal: this.abort.signal,
      })) {
        this.lines++;
        // A server may print its arguments (an --api-key) or a token: masked like every log line.
        const text = loggable(line.text);
        this.recent.push(text);
        if (this.recent.length > keep) this.recent.shift();
        this.writer.fire(`${text}\r\n`);
      }
      if (!this.abort.signal.aborted)
        this.writer.fire(`\r\n\x1b[2m— ${this.container.name} stopped: the log ended —\x1b[0m\r\n`);
    } catch (e) {
      if (!this.abort.signal.aborted) this.writer.fire(`\r\n\x1b[31m${(e as Error).message}\x1b[0m\r\n`);
    }
  }
}

/** Opens (and shows) a terminal following the container's logs. */
export function showLogTerminal(service: ContainerService, container: { id: string; name: string }): LogTerminal {
  const pty = new LogTerminal(service, container);
  const terminal = vscode.window.createTerminal({
    name: `Logs: ${container.name}`,
    pty,
    iconPath: new vscode.ThemeIcon('output'),
  });
  terminal.show(true);
  return pty;
}
