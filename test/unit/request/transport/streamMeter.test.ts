// Our stream metrics from given timestamps (no clock in the test: the figures are exact).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamMeter } from '../../../../src/core/request/transport/streamMeter';

describe('StreamMeter', () => {
  it('TTFT from the request start, ITL between tokens, tokens/s after the first token', () => {
    let now = 1000;
    const m = new StreamMeter(1000, () => now);
    for (const t of [1150, 1160, 1180, 1210]) m.token(t);
    now = 1300;
    assert.deepEqual(m.snapshot(), {
      tokenCount: 4,
      elapsedMs: 300,
      ttftMs: 150,
      itl: { meanMs: 20, p50Ms: 20, maxMs: 30 },
      tokensPerSecond: 50,
    });
  });

  it('one token: a TTFT but no rate; none: only the count and the elapsed time', () => {
    const m = new StreamMeter(0, () => 10);
    assert.deepEqual(m.snapshot(), { tokenCount: 0, elapsedMs: 10 });
    m.token(7);
    assert.deepEqual(m.snapshot(), { tokenCount: 1, elapsedMs: 10, ttftMs: 7 });
  });

  it('keeps the server figures apart; later reports fill in or override', () => {
    const m = new StreamMeter(0, () => 1);
    m.serverReport({ finishReason: 'stop' });
    m.serverReport({ completionTokens: 12, promptTokens: undefined });
    assert.deepEqual(m.snapshot().server, { finishReason: 'stop', completionTokens: 12 });
  });
});
