import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argAt, launchArgHover, launchArgMarkdown, serverAt } from '../../../src/core/guide/launchArgs';

const COMPOSE = `services:
  vllm:
    image: vllm/vllm-openai:latest
    command: ["--model", "m", "--max-model-len", "8192", "--port=8000"]
  tgi:
    image: ghcr.io/huggingface/text-generation-inference:3.3.5
    command:
      - --model-id
      - m
      - --port
      - "80"
`;

describe('launch-argument hovers', () => {
  it('finds the flag under the cursor', () => {
    assert.deepEqual(argAt('    - --max-model-len', 10), { arg: '--max-model-len', start: 6, end: 21 });
    assert.deepEqual(argAt('"--port=8000"', 3), { arg: '--port', start: 1, end: 7 });
    assert.equal(argAt('  image: x', 4), undefined);
  });

  it('tells vLLM from TGI by the nearest image above', () => {
    assert.equal(serverAt(COMPOSE, COMPOSE.indexOf('--max-model-len')), 'vllm');
    assert.equal(serverAt(COMPOSE, COMPOSE.indexOf('--model-id')), 'tgi');
    assert.equal(serverAt('args: [--port]', 5), undefined);
  });

  it("documents each server's own meaning of a shared flag", () => {
    const vllmPort = launchArgHover(COMPOSE, COMPOSE.indexOf('--port=') + 2)!;
    assert.equal(vllmPort.docs.length, 1);
    assert.match(vllmPort.docs[0].doc, /8000/);
    const tgiPort = launchArgHover(COMPOSE, COMPOSE.lastIndexOf('--port') + 2)!;
    assert.equal(tgiPort.docs[0].server, 'tgi');
    assert.match(launchArgMarkdown(tgiPort), /TGI `--port`/);
    const unknown = launchArgHover('args: ["--port"]', 9)!;
    assert.deepEqual(
      unknown.docs.map((d) => d.server),
      ['vllm', 'tgi'],
    );
    assert.equal(launchArgHover(COMPOSE, COMPOSE.indexOf('image')), undefined);
    const mml = launchArgHover(COMPOSE, COMPOSE.indexOf('--max-model-len') + 4)!;
    assert.equal(COMPOSE.slice(mml.start, mml.end), '--max-model-len');
  });
});
