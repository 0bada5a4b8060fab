/**
 * An undici Agent that times its socket setup. undici's connector returns the
 * socket it opens, so wrapping it sees DNS lookup, TCP connect and TLS
 * handshake as they happen; the request panel opens one such agent per
 * request, which makes the connect and TLS phases of every breakdown real
 * rather than hidden by a pooled connection.
 */
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';

export interface SocketTiming {
  /** performance.now() when the connector was asked for a socket. */
  startedAt?: number;
  tcpAt?: number;
  tlsAt?: number;
}

export interface TimedAgent {
  agent: Agent;
  timing: SocketTiming;
  /** Ends the agent's connections (a streaming request may still hold one). */
  close(): Promise<void>;
}

export function timedAgent(opts: { allowSelfSigned?: boolean; connectTimeoutMs?: number } = {}): TimedAgent {
  const timing: SocketTiming = {};
  const base = buildConnector({ rejectUnauthorized: !opts.allowSelfSigned, timeout: opts.connectTimeoutMs ?? 10_000 });
  const connect: buildConnector.connector = (options, callback) => {
    const startedAt = performance.now();
    let tcpAt: number | undefined;
    // The Callback type is a tuple union; forward its arguments as they come.
    const socket = (base as unknown as (o: buildConnector.Options, cb: buildConnector.Callback) => Socket)(
      options,
      (...args: Parameters<buildConnector.Callback>) => {
        if (timing.startedAt === undefined && !args[0]) {
          timing.startedAt = startedAt;
          timing.tcpAt = tcpAt ?? performance.now();
          if (options.protocol === 'https:') timing.tlsAt = performance.now();
        }
        (callback as (...a: Parameters<buildConnector.Callback>) => void)(...args);
      },
    );
    socket?.once?.('connect', () => {
      tcpAt = performance.now();
    });
    return socket;
  };
  const agent = new Agent({ connect, connections: 1, pipelining: 1, keepAliveTimeout: 1000 });
  return {
    agent,
    timing,
    close: async () => {
      await agent.destroy().catch(() => undefined);
    },
  };
}
