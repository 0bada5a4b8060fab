import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLogBuffer, LogDecoder, logLines } from '../../../../src/core/docker/engine/logFrames';
import type { LogLine } from '../../../../src/core/docker/types';
import { fixtureBytes } from '../fixtures';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

describe('container log decoding', () => {
  it('demultiplexes the recorded log with timestamps', () => {
    const lines = decodeLogBuffer(fixtureBytes('logs-multiplexed-timestamps.bin'), false, true);
    assert.deepEqual(
      lines.map((l) => [l.stream, l.text]),
      [
        ['stdout', 'hello stdout'],
        ['stderr', 'oops stderr'],
        ['stdout', 'π unicode ✓'],
        ['stdout', 'bye'],
      ],
    );
    for (const l of lines) assert.match(l.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
  });

  it('gives the same lines whatever the chunking (byte by byte)', async () => {
    const bytes = fixtureBytes('logs-multiplexed-timestamps.bin');
    async function* oneByOne() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const out: LogLine[] = [];
    for await (const l of logLines(oneByOne(), false, true)) out.push(l);
    assert.deepEqual(out, decodeLogBuffer(bytes, false, true));
  });

  it('joins a line split over frames and a UTF-8 character split between them', () => {
    const euro = Buffer.from('€'); // 3 bytes
    const frameOf = (payload: Buffer) => {
      const h = Buffer.alloc(8);
      h[0] = 1;
      h.writeUInt32BE(payload.length, 4);
      return Buffer.concat([h, payload]);
    };
    const first = frameOf(Buffer.concat([Buffer.from('price: '), euro.subarray(0, 1)]));
    const second = frameOf(Buffer.concat([euro.subarray(1), Buffer.from('\n')]));
    const d = new LogDecoder(false, false);
    assert.deepEqual(d.push(first), []);
    // The second frame arrives in two pieces, cut inside its header.
    assert.deepEqual(d.push(second.subarray(0, 5)), []);
    assert.deepEqual(d.push(second.subarray(5)), [{ stream: 'stdout', text: 'price: €' }]);
  });

  it('keeps stdout and stderr partial lines apart and flushes them at the end', () => {
    const d = new LogDecoder(false, false);
    const lines = [
      ...d.push(Buffer.concat([frame(1, 'out-a'), frame(2, 'err-a'), frame(1, 'out-b\n'), frame(2, '\r\n')])),
      ...d.end(),
    ];
    assert.deepEqual(lines, [
      { stream: 'stdout', text: 'out-aout-b' },
      { stream: 'stderr', text: 'err-a' },
    ]);
    const tail = new LogDecoder(false, false);
    assert.deepEqual([...tail.push(frame(2, 'no newline')), ...tail.end()], [{ stream: 'stderr', text: 'no newline' }]);
  });

  it('passes TTY output through raw', () => {
    assert.deepEqual(decodeLogBuffer(Buffer.from('a\r\nb\nc'), true, false), [
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'b' },
      { stream: 'stdout', text: 'c' },
    ]);
  });

  it('falls back to raw text when the bytes are not frames', () => {
    assert.deepEqual(decodeLogBuffer(Buffer.from('plain text log\n'), false, false), [
      { stream: 'stdout', text: 'plain text log' },
    ]);
  });
});
