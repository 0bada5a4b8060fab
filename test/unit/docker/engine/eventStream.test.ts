import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventLine } from '../../../../src/core/docker/engine/engineParse';
import { ContainerError } from '../../../../src/core/docker/errors';
import { reconnectingEvents, type OpenEvents } from '../../../../src/core/docker/engine/eventStream';
import type { ContainerEvent } from '../../../../src/core/docker/types';
import { fixtureText } from '../fixtures';

const lines = fixtureText('events.ndjson').split('\n').filter(Boolean);

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

describe('event stream with bounded reconnects', () => {
  it('reopens from the last event time after a drop and skips repeated events', async () => {
    const sinces: (string | undefined)[] = [];
    let call = 0;
    const open: OpenEvents = async (since) => {
      sinces.push(since);
      call++;
      // First connection: create, start, then the engine drops the stream.
      if (call === 1) return chunks(`${lines[0]}\n${lines[1].slice(0, 40)}`, `${lines[1].slice(40)}\n`);
      // Second: the engine repeats "start" (same timestamp), then die and destroy.
      return chunks(`${lines[1]}\n${lines[2]}\n`, `${lines[3]}\n`);
    };
    const ctrl = new AbortController();
    const seen: ContainerEvent[] = [];
    const reconnects: number[] = [];
    for await (const e of reconnectingEvents(open, parseEventLine, {
      signal: ctrl.signal,
      maxReconnects: 3,
      backoffMs: 1,
      onReconnect: (n) => reconnects.push(n),
    })) {
      seen.push(e);
      if (seen.length === 4) ctrl.abort();
    }
    assert.deepEqual(
      seen.map((e) => e.action),
      ['create', 'start', 'die', 'destroy'],
    );
    assert.equal(sinces[0], undefined);
    const startNano = parseEventLine(lines[1])!.nano;
    assert.equal(
      BigInt(sinces[1]!.replace('.', '')),
      startNano,
      'reconnects from the last event time (seconds.nanoseconds)',
    );
    assert.deepEqual(reconnects, [1]);
  });

  it('gives up after maxReconnects failures in a row with a clear error', async () => {
    let calls = 0;
    const open: OpenEvents = async () => {
      calls++;
      throw Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
    };
    const it = reconnectingEvents(open, parseEventLine, {
      signal: new AbortController().signal,
      maxReconnects: 2,
      backoffMs: 1,
      endpoint: 'unix:///var/run/docker.sock',
    });
    await assert.rejects(
      (async () => {
        for await (const _ of it) void _;
      })(),
      (e: unknown) => ContainerError.is(e, 'engine-unavailable') && /after 2 reconnects/.test((e as Error).message),
    );
    assert.equal(calls, 3);
  });

  it('resets the count when events flow again', async () => {
    let calls = 0;
    const open: OpenEvents = async () => {
      calls++;
      if (calls % 2 === 1) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      return chunks(`${lines[calls === 2 ? 0 : calls === 4 ? 1 : 2]}\n`);
    };
    const ctrl = new AbortController();
    const seen: string[] = [];
    for await (const e of reconnectingEvents(open, parseEventLine, {
      signal: ctrl.signal,
      maxReconnects: 2,
      backoffMs: 1,
    })) {
      seen.push(e.action);
      if (seen.length === 3) ctrl.abort();
    }
    // Each stream ends after one event (a reconnect) and the next open fails (another): two in a row,
    // then an event resets the count. Without the reset the third reconnect would give up.
    assert.deepEqual(seen, ['create', 'start', 'die']);
  });

  it('ends quietly when the caller aborts while waiting to reconnect', async () => {
    const ctrl = new AbortController();
    const open: OpenEvents = async () => {
      setTimeout(() => ctrl.abort(), 5);
      return chunks();
    };
    const out: ContainerEvent[] = [];
    for await (const e of reconnectingEvents(open, parseEventLine, {
      signal: ctrl.signal,
      maxReconnects: 5,
      backoffMs: 10_000,
    }))
      out.push(e);
    assert.deepEqual(out, []);
  });
});
