import type { StreamMetrics } from '../../../shared/request';

/**
 * Coalesces stream deltas into one webview message per ~30 ms: a fast
 * server sends hundreds of tokens a second, and one postMessage per token
 * would keep the webview busy redrawing instead of showing them.
 */
export class DeltaBuffer {
  private text = '';
  private metrics: StreamMetrics | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (text: string, metrics: StreamMetrics) => void,
    private readonly intervalMs = 30,
  ) {}

  push(text: string, metrics: StreamMetrics): void {
    this.text += text;
    this.metrics = metrics;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.metrics && this.text) this.emit(this.text, this.metrics);
    this.text = '';
  }
}
