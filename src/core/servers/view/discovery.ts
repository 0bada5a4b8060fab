/**
 * Discovery of inference servers on this machine: well-known ports of
 * 127.0.0.1 (wire-reference §0 port heuristics) get a cheap TCP connect first
 * and, when something listens, the full fingerprint. Only recognized servers
 * are returned: a developer's web app on :3000 is not news. Ports already
 * shown (configured or embedded servers) are skipped.
 */
import net from 'node:net';
import { detectServer, type DetectResult } from '../detect';
import { mapLimit } from '../mapLimit';
import { portOf } from '../serverHttp';

/** Triton/vLLM/Ray 8000, KServe/TorchServe/TGI/TEI 8080, TF Serving REST 8501, Ollama 11434, TGI/TEI launcher 3000. */
export const defaultDiscoveryPorts: readonly number[] = [8000, 8080, 8501, 11434, 3000];

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/** Ports of this machine that `urls` already point at. */
export function localPortsOf(urls: Iterable<string>): Set<number> {
  const out = new Set<number>();
  for (const u of urls) {
    try {
      if (loopbackNames.has(new URL(u).hostname)) out.add(portOf(u));
    } catch {
      /* an unusable URL points nowhere */
    }
  }
  return out;
}

/** True when something accepts a TCP connection on 127.0.0.1:`port` within `timeoutMs`. */
export function portOpen(port: number, timeoutMs = 300, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (open: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(open);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export interface Discovered {
  port: number;
  url: string;
  detect: DetectResult & { kind: NonNullable<DetectResult['kind']> };
}

export interface DiscoverOptions {
  ports?: readonly number[];
  /** Ports to leave alone (already in the tree). */
  skip?: ReadonlySet<number>;
  signal?: AbortSignal;
  /** Per-probe limit (default 1500 ms: a local server answers fast or not at all). */
  timeoutMs?: number;
}

/** Recognized inference servers on the well-known local ports, in port order. */
export async function discoverLocalServers(opts: DiscoverOptions = {}): Promise<Discovered[]> {
  const ports = [...new Set(opts.ports ?? defaultDiscoveryPorts)].filter(
    (p) => Number.isInteger(p) && p > 0 && p < 65536 && !opts.skip?.has(p),
  );
  const found = await mapLimit(ports, 4, async (port): Promise<Discovered | undefined> => {
    if (opts.signal?.aborted || !(await portOpen(port, 300, opts.signal))) return undefined;
    const url = `http://127.0.0.1:${port}`;
    // Only cancellation makes detection throw: a cancelled round finds nothing.
    const detect = await detectServer(url, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 1500 }).catch(
      () => undefined,
    );
    return detect?.outcome === 'recognized' && detect.kind
      ? { port, url, detect: { ...detect, kind: detect.kind } }
      : undefined;
  });
  return found.filter((d): d is Discovered => d !== undefined).sort((a, b) => a.port - b.port);
}

/** Lets discovery run at most once per `minIntervalMs` however often the tree refreshes. */
export class DiscoveryThrottle {
  private last: number | undefined;
  constructor(private minIntervalMs: number) {}
  setInterval(ms: number): void {
    this.minIntervalMs = ms;
  }
  /** True (and the time is taken) when a discovery round may run now. */
  take(now: number): boolean {
    if (this.last !== undefined && now - this.last < this.minIntervalMs) return false;
    this.last = now;
    return true;
  }
  reset(): void {
    this.last = undefined;
  }
}
