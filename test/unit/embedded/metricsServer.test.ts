/** The Prometheus registry dialects and the EmbeddedServer lifecycle. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../../src/core/embedded/metrics/registry';
import { EmbeddedServer } from '../../../src/core/embedded/server';
import { raw, textServer } from './helpers';

describe('metrics registry', () => {
  it('renders counters, gauges and cumulative histograms', () => {
    const r = new MetricsRegistry();
    r.counter('x_requests_total', 'Requests.').inc({ model: 'a' }, 2);
    r.gauge('x_queue', 'Queue.', () => [{ labels: { model: 'a' }, value: 3 }]);
    const h = r.histogram('x_latency_seconds', 'Latency.', [0.1, 0.5, 1]);
    for (const v of [0.05, 0.3, 0.3, 2]) h.observe({ model: 'a' }, v);
    assert.equal(
      r.render({ prefix: 'x_' }),
      [
        '# HELP x_requests_total Requests.',
        '# TYPE x_requests_total counter',
        'x_requests_total{model="a"} 2.0',
        '# HELP x_queue Queue.',
        '# TYPE x_queue gauge',
        'x_queue{model="a"} 3.0',
        '# HELP x_latency_seconds Latency.',
        '# TYPE x_latency_seconds histogram',
        'x_latency_seconds_bucket{model="a",le="0.1"} 1',
        'x_latency_seconds_bucket{model="a",le="0.5"} 3',
        'x_latency_seconds_bucket{model="a",le="1.0"} 3',
        'x_latency_seconds_bucket{model="a",le="+Inf"} 4',
        'x_latency_seconds_sum{model="a"} 2.65',
        'x_latency_seconds_count{model="a"} 4',
        '',
      ].join('\n'),
    );
  });

  it('speaks each server’s dialect: no HELP, trailing commas, _total stripped from metadata, escaped labels', () => {
    const r = new MetricsRegistry();
    r.counter('y_total', 'Y.').series({ a: 'q"\\\n' }).inc();
    assert.equal(
      r.render({ help: false, trailingComma: true, stripTotalInMeta: true }),
      '# TYPE y counter\ny_total{a="q\\"\\\\\\n",} 1.0\n',
    );
    assert.equal(r.render({ prefix: 'z' }), '');
    assert.equal(r.counter('y_total', 'again').get({ a: 'q"\\\n' }), 1, 'registration is idempotent');
  });
});

describe('EmbeddedServer lifecycle', () => {
  it('starts every enabled personality, reports endpoints, and closes every port on stop', async () => {
    const s = textServer(['vllm', 'tgi', 'ollama', 'tei', 'rayserve'], { personalities: { tei: { enabled: false } } });
    const ep = await s.start();
    assert.deepEqual(Object.keys(ep), ['vllm', 'tgi', 'ollama', 'rayserve']);
    assert.deepEqual(await s.start(), ep, 'starting again is a no-op');
    assert.deepEqual(
      s.personalities.map((p) => p.title),
      ['vLLM (OpenAI-compatible)', 'Hugging Face TGI', 'Ollama', 'Ray Serve'],
    );
    await s.stop();
    assert.equal(s.running, false);
    for (const url of Object.values(ep)) await assert.rejects(raw(url, '/'), /ECONNREFUSED/);
    await s.stop();
  });

  it('uses portBase + offset, and fails clearly (closing what it opened) when a port is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((f) => blocker.listen(0, '127.0.0.1', f));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      const s = new EmbeddedServer(
        { portBase: busy - 20, personalities: { vllm: { port: 0 } } },
        { loaders: { vllm: textServerLoader('vllm'), tgi: textServerLoader('tgi') } },
      );
      await assert.rejects(s.start(), new RegExp(`Hugging Face TGI: Port ${busy} on 127.0.0.1 is already in use`));
      assert.equal(s.running, false);
    } finally {
      await new Promise((f) => blocker.close(f));
    }
  });

  it('stops cleanly while a stream is open', async () => {
    const s = textServer(['vllm'], {
      models: [{ name: 'tiny-llm', kind: 'text-generation', latency: { decodePerTokenMs: 50, jitter: 0 } }],
    });
    const ep = await s.start();
    const pending = raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 500, stream: true } }).catch(
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 100));
    await s.stop();
    const r = await pending;
    assert.ok(r instanceof Error || (typeof r === 'object' && r !== null), 'the client sees the end');
  });
});

function textServerLoader(name: 'vllm' | 'tgi') {
  return async () =>
    name === 'vllm'
      ? (await import('../../../src/core/embedded/personalities/vllm/vllm.js')).vllmPersonality
      : (await import('../../../src/core/embedded/personalities/tgi/tgi.js')).tgiPersonality;
}
