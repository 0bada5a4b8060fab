// Stream events as each server writes them (wire reference §3, §7, §8, §9, §12).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStreamEvent, parseStreamData } from '../../../../src/core/request/transport/streamEvents';

describe('parseStreamData / decodeStreamEvent', () => {
  it('reads vLLM chat chunks: role chunk, content, finish, the usage chunk with choices [] and [DONE]', () => {
    const events = [
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]}',
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}',
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":12,"total_tokens":14,"completion_tokens":2}}',
      '[DONE]',
    ].map((d, i) => parseStreamData(d, i));
    assert.equal(events[0].text, '');
    assert.equal(events[1].text, 'Hel');
    assert.equal(events[2].server?.finishReason, 'stop');
    assert.deepEqual(events[3].server, { completionTokens: 2, promptTokens: 12 });
    assert.equal(events[4].done, true);
  });

  it('reads completion chunks (choices[].text)', () => {
    assert.equal(
      parseStreamData(
        '{"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":" world","logprobs":null,"finish_reason":null}]}',
        0,
      ).text,
      ' world',
    );
  });

  it('reads TGI generate_stream tokens, skips special tokens, and ends at the event with generated_text', () => {
    const tok = parseStreamData(
      '{"index":1,"token":{"id":42,"text":"Hi","logprob":-0.1,"special":false},"generated_text":null,"details":null}',
      0,
    );
    assert.deepEqual(tok, { text: 'Hi' });
    assert.equal(
      parseStreamData(
        '{"index":2,"token":{"id":2,"text":"</s>","logprob":0,"special":true},"generated_text":null,"details":null}',
        1,
      ).text,
      '',
    );
    const last = parseStreamData(
      '{"index":3,"token":{"id":7,"text":"!","logprob":-0.2,"special":false},"generated_text":"Hi!","details":{"finish_reason":"length","generated_tokens":3,"seed":null,"input_length":4}}',
      2,
    );
    assert.equal(last.text, '!');
    assert.equal(last.done, true);
    assert.deepEqual(last.server, { completionTokens: 3, finishReason: 'length' });
  });

  it('reports errors that arrive inside a 200 stream, in every server shape', () => {
    const cases: Array<[string, RegExp]> = [
      [
        '{"error":"Input validation error: `inputs` must not be empty","error_type":"validation"}',
        /must not be empty \(validation\)/,
      ], // TGI generate_stream
      ['{"error":{"message":"Template error","http_status_code":422}}', /Template error/], // TGI chat
      ['{"error":{"message":"engine dead","type":"InternalServerError","param":null,"code":500}}', /engine dead/], // vLLM ≥ 0.10.1
      [
        '{"object":"error","message":"old vllm failure","type":"BadRequestError","param":null,"code":400}',
        /old vllm failure/,
      ], // vLLM < 0.10.1
      ['{"error":"model runner crashed"}', /model runner crashed/], // Triton generate_stream, Ollama final line
    ];
    for (const [data, re] of cases) assert.match(parseStreamData(data, 0).error ?? '', re, data);
  });

  it('reads Triton generate_stream text_output events', () => {
    assert.equal(parseStreamData('{"model_name":"llm","model_version":"1","text_output":"abc"}', 0).text, 'abc');
  });

  it('reads Ollama NDJSON lines and the final line with eval_count / eval_duration (ns) as server tokens/s', () => {
    assert.equal(
      parseStreamData('{"model":"llama3","created_at":"2024-01-01T00:00:00.1Z","response":"The","done":false}', 0).text,
      'The',
    );
    assert.equal(
      parseStreamData(
        '{"model":"llama3","created_at":"x","message":{"role":"assistant","content":" sky"},"done":false}',
        1,
      ).text,
      ' sky',
    );
    const end = parseStreamData(
      '{"model":"llama3","created_at":"x","response":"","done":true,"done_reason":"stop","total_duration":5000000000,"prompt_eval_count":26,"eval_count":290,"eval_duration":4000000000}',
      2,
    );
    assert.equal(end.done, true);
    assert.deepEqual(end.server, {
      completionTokens: 290,
      promptTokens: 26,
      tokensPerSecond: 72.5,
      finishReason: 'stop',
    });
  });

  it('throws a clear error for a broken frame and ignores unknown shapes', () => {
    assert.throws(() => parseStreamData('{"choices":[{"delta":{"content":"x"', 4), /Stream event 5 is not valid JSON/);
    assert.deepEqual(decodeStreamEvent({ hello: 1 }), {});
    assert.deepEqual(decodeStreamEvent([1, 2]), {});
  });
});
