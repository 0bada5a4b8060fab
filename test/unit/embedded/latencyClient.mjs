// Lean latency probe for latency.test.ts, run as its own plain-node process
// so that neither the test runner nor a TypeScript loader delays the arrival
// stamps. usage: node latencyClient.mjs <vllm-base-url> <concurrency> <rounds> <maxTokens>
// Prints one JSON line: [{ ttft, sendTtft, gaps, promptTokens }] per stream.
// ttft counts from the arrival of the response headers, which the server sends
// when it accepts the request (before the prefill), so it measures the modelled
// time to first token; sendTtft counts from the request hand-off to the socket
// and adds the request's transfer and parse time, noisy when 32 start at once.
import http from 'node:http';

const [base, concurrency, rounds, maxTokens] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  Number(process.argv[5]),
];
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(path) {
  return new Promise((resolve, reject) =>
    http.get(`${base}${path}`, { agent }, (r) => (r.resume(), r.on('end', resolve))).on('error', reject),
  );
}

function stream(i) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      model: 'tiny-llm',
      prompt: `Tell me a story number ${i}`,
      max_tokens: maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    });
    const arrivals = [];
    let text = '';
    let t0 = Infinity;
    const req = http.request(
      `${base}/v1/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const tHeaders = performance.now();
        res.on('data', (c) => {
          const now = performance.now();
          const s = c.toString();
          text += s;
          // One arrival per completions token event in this read (token chunks have a non-empty "text").
          for (const m of s.matchAll(/"text":"((?:[^"\\]|\\.)+)"/g)) if (m[1]) arrivals.push(now);
        });
        res.on('end', () => {
          const usage = /"usage":\{"prompt_tokens":(\d+)/.exec(text);
          if (!usage || arrivals.length < 3) return reject(new Error(`unexpected stream: ${text.slice(0, 300)}`));
          resolve({
            ttft: arrivals[0] - tHeaders,
            sendTtft: arrivals[0] - t0,
            gaps: arrivals.slice(1).map((t, k) => t - arrivals[k]),
            promptTokens: Number(usage[1]),
          });
        });
      },
    );
    req.on('error', reject);
    // Stamp the moment the request is handed to the socket.
    req.on('finish', () => (t0 = performance.now()));
    req.end(body);
  });
}

// Open the keep-alive connections first so that connection setup is not counted.
await Promise.all(Array.from({ length: concurrency }, () => get('/health')));
const out = [];
for (let r = 0; r < rounds; r++)
  out.push(...(await Promise.all(Array.from({ length: concurrency }, (_, i) => stream(r * concurrency + i)))));
agent.destroy();
process.stdout.write(`${JSON.stringify(out)}\n`);
