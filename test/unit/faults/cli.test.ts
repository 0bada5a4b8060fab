/**
 * The fault suite for the CLI (issue 15): the real `inference-lab` against
 * one misbehaving local server per fault (test/faults/servers.ts), asserting
 * the exit code, the message and what was saved.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { resultFromJson } from '../../../src/core/bench/result';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { runCli, scratch, waitForStderr } from '../../faults/cli';
import { faults, type FaultServer } from '../../faults/servers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-cli-'));
const servers: FaultServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function serve(s: Promise<FaultServer>): Promise<FaultServer> {
  const srv = await s;
  servers.push(srv);
  return srv;
}

const text = (url: string, more: string[] = []) => [
  'bench',
  '--url',
  url,
  '--group',
  'text-generation',
  '--api',
  'openai-completions',
  '--model',
  'fault-llm',
  ...more,
];
const embed = (url: string, more: string[] = []) => [
  'bench',
  '--url',
  url,
  '--group',
  'embeddings',
  '--api',
  'openai',
  '--model',
  'fault-llm',
  ...more,
];
const records = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"i"'))
    .map((l) => JSON.parse(l) as { ek?: string; er?: string; x?: number });

/** Ctrl-C as soon as the server has seen the CLI (a connection during detection, or the test request). */
function interruptOnFirstHit(p: ChildProcess, srv: FaultServer): void {
  const t = setInterval(() => {
    if (srv.hits() > 0) {
      clearInterval(t);
      p.kill('SIGINT');
    }
  }, 50);
}

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

describe('faults: answers that are not what the API returns fail the test request with what was received (exit 5)', () => {
  const cases: Array<[string, () => Promise<FaultServer>, (u: string) => string[], RegExp]> = [
    [
      'a 200 of HTML where a stream belongs',
      faults.wrongContentType,
      text,
      /The test request failed: Unexpected content type "text\/html" \(expected text\/event-stream\); received "<html><body>Please sign in<\/body><\/html>"/,
    ],
    [
      'a stream without a generation event',
      faults.noGenerationEvent,
      text,
      /The test request failed: 2 event\(s\) but no generation event in the stream; received "data: \{\\"id\\":\\"x\\"/,
    ],
    [
      'a stream of cut-off JSON',
      faults.truncatedStreamJson,
      text,
      /The test request failed: Not JSON in the stream: "\{\\"object\\":\\"text_completion\\",\\"choices\\":\[\{\\"text\\":\\" to"/,
    ],
    [
      'a JSON body cut short',
      faults.truncatedJson,
      embed,
      /The test request failed: Response body is not valid JSON \(.*\); received "\{\\"object\\":\\"list\\",\\"data\\":\[\{\\"embedding\\":\[0.1,"/,
    ],
    [
      'a 64 KB JSON body with one bad byte in the middle (its first and last bytes are fine)',
      faults.badByteInLargeJson,
      embed,
      /The test request failed: Response body is not valid JSON \(.* at byte 3\d{4} of 6\d{4}, near "[^"]*\?[^"]*"\); received "\{\\"object\\":\\"list\\"/,
    ],
    [
      'a body that is not JSON',
      faults.invalidJson,
      embed,
      /The test request failed: Response body is not valid JSON \(.*\); received "\{this is not json\}"/,
    ],
    [
      'binary garbage',
      faults.binaryGarbage,
      embed,
      /The test request failed: Unexpected response body \(expected JSON starting with \{\); received "\\x00\\xff\\x1b\[2J\\x89PNG"/,
    ],
  ];
  for (const [name, start, args, message] of cases) {
    it(name, async () => {
      const srv = await serve(start());
      const r = await runCli(args(srv.url));
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(srv.hits(), 1, 'only the test request was sent');
      noStack(r.stderr);
    });
  }

  it('answers that turn bad after the test request: every record names its reason, the summary lists it, exit 5 (no step measured anything)', async () => {
    const srv = await serve(faults.htmlAfter(1));
    const out = path.join(dir, 'html.json');
    const r = await runCli(text(srv.url, ['--requests', '5', '--out', out]));
    assert.equal(r.code, 5, r.stderr);
    assert.match(
      r.stdout,
      /Failures in c=1:\n {2}5 × malformed: Unexpected content type "text\/html" \(expected text\/event-stream\); received "<html>maintenance<\/html>"/,
    );
    const recs = records(path.join(dir, 'html.records.jsonl'));
    assert.equal(recs.length, 5);
    for (const rec of recs) {
      assert.equal(rec.ek, 'malformed');
      assert.match(rec.er ?? '', /received "<html>maintenance<\/html>"/);
    }
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(res.steps[0].failures, [{ kind: 'malformed', message: recs[0].er, count: 5 }]);
    assert.deepEqual(resultProblems(JSON.parse(fs.readFileSync(out, 'utf8'))), []);
  });
});

describe('faults: a dead or failing server', () => {
  it('killed mid-run: back-off instead of a retry storm, stops after the grace period, saves the result marked incomplete, exit 7', async () => {
    const srv = await serve(faults.diesAfter(4));
    const out = path.join(dir, 'dead.json');
    const r = await runCli(
      text(srv.url, ['--requests', '100000', '--concurrency', '8', '--failure-grace', '2s', '--out', out]),
    );
    assert.equal(r.code, 7, r.stderr);
    assert.match(
      r.stderr,
      /warning: The server is failing \(\d+ connection failures in a row; last error: Connection (refused|closed by the server)/,
    );
    // The progress line counts failures apart from completions.
    assert.match(r.stderr, /c=8 {2}\d+\/100000 done: 3 ok {2}\d+ failed {2}\d+ in flight/);
    assert.match(
      r.stdout,
      /INCOMPLETE: Stopped because the server failed every request for \d+\.\d s \(grace period 2 s; last error: Connection (refused|closed by the server)/,
    );
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.incomplete, true);
    assert.equal(res.stoppedBy, 'server-failed');
    // Without back-off the 8 workers resent at once: ~10,000 refused requests per second. With it: the first failures, then one per interval.
    const recs = records(path.join(dir, 'dead.records.jsonl'));
    assert.ok(recs.length < 60, `${recs.length} records in a 2 s grace period`);
    assert.equal(recs.length, res.steps[0].requests.sent);
    assert.ok(r.ms < 20_000, `stopped after ${r.ms} ms`);
    assert.deepEqual(resultProblems(JSON.parse(fs.readFileSync(out, 'utf8'))), []);
  });

  it('HTTP 500 to everything after the test request: --max-error-rate stops the run at once, exit 7', async () => {
    const srv = await serve(faults.failsAfter(1));
    const out = path.join(dir, 'rate.json');
    const r = await runCli(
      text(srv.url, ['--requests', '100000', '--concurrency', '4', '--max-error-rate', '0.5', '--out', out]),
    );
    assert.equal(r.code, 7, r.stderr);
    assert.match(
      r.stdout,
      /INCOMPLETE: Stopped because 100 % of the last 20 requests failed, above --max-error-rate 50 % \(last error: HTTP 500: internal error\)/,
    );
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.stoppedBy, 'server-failed');
    assert.ok(srv.hits() < 40, `${srv.hits()} requests reached the server`);
  });
});

describe('faults: limits', () => {
  it('--timeout covers the test request (a server that never answers)', async () => {
    const srv = await serve(faults.stall());
    const r = await runCli(text(srv.url, ['--timeout', '1s']));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /The test request failed: no complete answer within --timeout 1 s/);
    assert.ok(r.ms < 15_000, `${r.ms} ms`);
  });

  it('--timeout covers the test request (an endless stream)', async () => {
    const srv = await serve(faults.endlessStream());
    const r = await runCli(text(srv.url, ['--timeout', '1s']));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /The test request failed: no complete answer within --timeout 1 s/);
  });

  it('--timeout covers server detection (a port that accepts and never answers)', async () => {
    const srv = await serve(faults.silent());
    const r = await runCli(text(srv.url, ['--timeout', '1s']));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Server detection did not finish within --timeout 1 s \(http:\/\/127\.0\.0\.1:\d+\)/);
  });

  it('--concurrency above the stated maximum is refused at once, without growing memory', async () => {
    const r = await runCli(text('http://127.0.0.1:1', ['--concurrency', '100000000', '--requests', '2']));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /concurrency: 100000000 is above the maximum of 10000 concurrent requests/);
    noStack(r.stderr);
  });

  it('--concurrency above the request count is lowered to it, with a message', async () => {
    const srv = await serve(faults.good());
    const r = await runCli(text(srv.url, ['--concurrency', '500', '--requests', '2']));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: Concurrency 500 is above the 2 requests of a step: running concurrency 2/);
    assert.match(r.stdout, /^c=2 /m);
  });

  for (const [flag, value, message] of [
    ['--requests', '1e30', /requests must be a positive whole number up to 9007199254740991/],
    ['--max-in-flight', '50000', /maxInFlight: 50000 is above the maximum of 10000/],
    ['--input-tokens', '100000000', /input tokens: at most 1,000,000 tokens/],
    ['--timeout', '99999999s', /timeout must be positive and at most 86400 s/],
  ] as const) {
    it(`${flag} ${value} is refused (exit 2)`, async () => {
      const r = await runCli(text('http://127.0.0.1:1', [flag, value]));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  it('an image batch that would not fit in memory is refused', async () => {
    const r = await runCli([
      'bench',
      '--url',
      'http://127.0.0.1:1',
      '--group',
      'image-classification',
      '--api',
      'kserve',
      '--model',
      'm',
      '--shape',
      '3,1024,1024',
      '--batch-sizes',
      '64',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /image batch: 64 × 3x1024x1024 is above the maximum of 67,108,864 elements per request/);
  });
});

describe('faults: terminal safety', () => {
  it('control characters from the server are escaped in bench and probe text, kept raw in probe --json', async () => {
    const srv = await serve(faults.controlChars());
    const b = await runCli(['bench', '--url', srv.url, '--group', 'text-generation', '--api', 'openai-completions']);
    assert.equal(b.code, 5, b.stderr);
    const raw = (t: string) => ['\x1b', '\x07', '\r'].filter((c) => t.includes(c));
    assert.deepEqual(raw(b.stdout + b.stderr), [], 'no raw control characters');
    assert.match(b.stderr, /HTTP 500: boom\\x1b\]0;pwned\\x07\\x1b\[2J\\r\\nFAKE: all good\n$/);
    const p = await runCli(['probe', srv.url]);
    assert.deepEqual(raw(p.stdout + p.stderr), [], 'no raw control characters');
    assert.match(p.stdout, /m\\x1b\[31mred\\x1b\]0;title\\x07/);
    const j = await runCli(['probe', '--json', srv.url]);
    const report = JSON.parse(j.stdout) as { models: Array<{ name: string }> };
    assert.equal(report.models[0].name, 'm\x1b[31mred\x1b]0;title\x07');
  });
});

describe('faults: one exit code per kind of fault', () => {
  it('Ctrl-C during server detection: exit 130 and an incomplete result is saved', async () => {
    const srv = await serve(faults.silent());
    const out = path.join(dir, 'int-detect.json');
    const r = await runCli(text(srv.url, ['--out', out]), { onStart: (p) => interruptOnFirstHit(p, srv) });
    assert.equal(r.code, 130, r.stderr);
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.incomplete, true);
    assert.equal(res.stoppedBy, 'cancelled');
    assert.equal(res.steps.length, 0);
    assert.match(res.incompleteReason ?? '', /Cancelled during server detection or the test request/);
    assert.deepEqual(resultProblems(JSON.parse(fs.readFileSync(out, 'utf8'))), []);
  });

  it('Ctrl-C during the test request: exit 130 and an incomplete result is saved', async () => {
    const srv = await serve(faults.stall());
    const out = path.join(dir, 'int-test.json');
    const r = await runCli(text(srv.url, ['--out', out]), { onStart: (p) => interruptOnFirstHit(p, srv) });
    assert.equal(r.code, 130, r.stderr);
    assert.equal(resultFromJson(fs.readFileSync(out, 'utf8')).incomplete, true);
  });

  it('Ctrl-C during the run: exit 130, the result keeps what was measured', async () => {
    const srv = await serve(faults.slow(50));
    const out = path.join(dir, 'int-run.json');
    const r = await runCli(text(srv.url, ['--requests', '1000', '--out', out]), {
      onStart: (p) => void waitForStderr(p, /step 1: c=1/).then(() => setTimeout(() => p.kill('SIGINT'), 800)),
    });
    assert.equal(r.code, 130, r.stderr);
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.stoppedBy, 'cancelled');
    assert.ok(res.steps[0].summary.counts.completed > 0);
  });

  it('a 2 MB response header is a server error (exit 5), not a crash', async () => {
    const srv = await serve(faults.hugeHeader());
    const r = await runCli(text(srv.url));
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /response headers are larger than the limit/);
    noStack(r.stderr);
  });

  it('malformed server data (an unreadable model list) is a server error (exit 5), not "unusable arguments"', async () => {
    const srv = await serve(faults.malformedModels());
    const r = await runCli(['bench', '--url', srv.url, '--group', 'text-generation', '--api', 'openai-completions']);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /Expected JSON from .*\/v1\/models/);
  });

  for (const flag of ['--out', '--records'] as const) {
    it(`an unwritable ${flag} path is found before the run (exit 2, nothing sent)`, async () => {
      const srv = await serve(faults.good());
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, 'x');
      const r = await runCli(text(srv.url, [flag, path.join(file, 'result.json')]));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${flag} .*a-file is a file, not a folder`));
      assert.equal(srv.hits(), 0);
    });
  }

  it('an --out that is a folder is refused before the run (exit 2)', async () => {
    const r = await runCli(text('http://127.0.0.1:1', ['--out', dir]));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--out .* is a folder, not a file/);
  });

  it('a result write that fails after the run still prints the summary and keeps the records (exit 8)', async () => {
    const srv = await serve(faults.slow(40));
    const outDir = path.join(dir, 'vanishing');
    fs.mkdirSync(outDir);
    const rec = path.join(dir, 'kept.records.jsonl');
    const r = await runCli(
      text(srv.url, ['--requests', '20', '--out', path.join(outDir, 'r.json'), '--records', rec]),
      {
        onStart: () => {
          const t = setInterval(() => {
            if (srv.hits() > 2) {
              clearInterval(t);
              // The folder becomes a file while the run goes on: the result cannot be written at the end.
              fs.rmSync(outDir, { recursive: true });
              fs.writeFileSync(outDir, 'x');
            }
          }, 20);
        },
      },
    );
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, /could not write the result to .*vanishing\/r\.json/);
    assert.match(r.stdout, /^c=1( \*)? +20 +0 /m);
    assert.equal(records(rec).length, 20);
  });
});

describe('faults: credentials and authentication', () => {
  it('URL userinfo and query tokens never reach the result, the records, the output or probe', async () => {
    const srv = await serve(faults.good());
    const url = `http://user:s3cret@127.0.0.1:${srv.port}/?token=abc123&api-version=2`;
    const out = path.join(dir, 'cred.json');
    const r = await runCli(text(url, ['--requests', '2', '--out', out]));
    assert.equal(r.code, 0, r.stderr);
    const saved = fs.readFileSync(out, 'utf8') + fs.readFileSync(path.join(dir, 'cred.records.jsonl'), 'utf8');
    for (const secret of ['s3cret', 'abc123']) {
      assert.ok(!saved.includes(secret), `${secret} in the saved files`);
      assert.ok(!(r.stdout + r.stderr).includes(secret), `${secret} in the output`);
    }
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.config.url, `http://127.0.0.1:${srv.port}/?api-version=2`);
    const p = await runCli(['probe', url]);
    assert.equal(p.code, 0, p.stderr);
    assert.match(
      p.stdout,
      new RegExp(`^OpenAI-compatible at http://127\\.0\\.0\\.1:${srv.port}/\\?api-version=2: ready`),
    );
    assert.ok(!p.stdout.includes('s3cret') && !p.stdout.includes('abc123'));
  });

  it('a 401 everywhere says "authentication failed" (exit 6)', async () => {
    const srv = await serve(faults.auth(401));
    const r = await runCli(['bench', '--url', srv.url, '--group', 'text-generation']);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /Authentication failed \(HTTP 401\)/);
    const p = await runCli(['probe', srv.url]);
    assert.match(p.stdout, /authentication failed/);
  });

  it('a 401 on inference only (model list open) says "authentication failed", not "pass --model" (exit 6)', async () => {
    const srv = await serve(faults.authOnInference());
    const r = await runCli(['bench', '--url', srv.url, '--group', 'text-generation', '--api', 'openai-completions']);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /Authentication failed \(HTTP 401\)/);
    assert.doesNotMatch(r.stderr, /pass --model/);
  });

  it('a 401 on the model list says "authentication failed", not "pass --model" (exit 6)', async () => {
    const srv = await serve(faults.authOnModels());
    const r = await runCli(['bench', '--url', srv.url, '--group', 'text-generation']);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /Authentication failed \(HTTP 401\)/);
    assert.doesNotMatch(r.stderr, /pass --model/);
  });
});

describe('faults: lower items', () => {
  it('an HTTP/1.1 server on the gRPC port is not "Connection refused" (exit 5)', async () => {
    const srv = await serve(faults.http1());
    const r = await runCli([
      'bench',
      '--url',
      `grpc://127.0.0.1:${srv.port}`,
      '--group',
      'image-classification',
      '--api',
      'kserve-grpc',
      '--model',
      'm',
    ]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /answers, but not with gRPC \(HTTP\/2\): it looks like an HTTP\/1\.1 server/);
    assert.doesNotMatch(r.stderr, /Connection refused/);
  });

  it('probe does not call a server it reached "unreachable"', async () => {
    const srv = await serve(faults.answersOnce());
    const p = await runCli(['probe', srv.url, '--timeout', '1000']);
    assert.match(p.stdout, /: live, not ready\n/);
    assert.match(p.stdout, /It answered detection, then its health check failed: Timed out/);
    assert.doesNotMatch(p.stdout, /unreachable/);
    const h = await serve(faults.hugeHeader());
    const q = await runCli(['probe', h.url]);
    assert.doesNotMatch(q.stdout, /unreachable/);
    assert.match(q.stdout, /Reached, but its answers could not be read/);
  });

  it('probe messages name no internal document', async () => {
    const srv = await serve(faults.http1());
    const p = await runCli(['probe', srv.url]);
    assert.match(p.stdout, /not recognized/);
    assert.doesNotMatch(p.stdout, /wire-reference|§/);
  });
});
