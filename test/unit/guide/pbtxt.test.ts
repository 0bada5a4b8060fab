import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completePbtxt, hoverPbtxt } from '../../../src/core/guide/pbtxt/assist';
import { cursorAt } from '../../../src/core/guide/pbtxt/cursor';
import { PbtxtSyntaxError } from '../../../src/core/guide/pbtxt/lexer';
import { parsePbtxt, type PbMessage } from '../../../src/core/guide/pbtxt/parser';
import { allMessages, enumDef, messageDef } from '../../../src/core/guide/pbtxt/schema';
import { validateModelConfig } from '../../../src/core/guide/pbtxt/validate';

const CONFIG = `# A classifier
name: "resnet50"
backend: "onnxruntime"
max_batch_size: 32
input [
  { name: "input", data_type: TYPE_FP32, format: FORMAT_NCHW, dims: [ 3, 224, 224 ] }
]
output [ { name: "logits" data_type: TYPE_FP32 dims: [ 1000 ] label_filename: "labels.txt" } ]
dynamic_batching { preferred_batch_size: [ 8, 16 ] max_queue_delay_microseconds: 100 }
instance_group [ { count: 2, kind: KIND_GPU } ]
parameters { key: "threads" value: { string_value: "4" } }
optimization < execution_accelerators { gpu_execution_accelerator: [ { name: "tensorrt" } ] } >
`;

/** The offset just after the first occurrence of `marker` (which is removed from the text). */
function at(src: string, marker = '|'): [string, number] {
  const i = src.indexOf(marker);
  return [src.slice(0, i) + src.slice(i + marker.length), i];
}

describe('config.pbtxt parser', () => {
  it('parses every form of the text format with offsets', () => {
    const root = parsePbtxt(CONFIG);
    assert.deepEqual(
      root.fields.map((f) => f.name),
      [
        'name',
        'backend',
        'max_batch_size',
        'input',
        'output',
        'dynamic_batching',
        'instance_group',
        'parameters',
        'optimization',
      ],
    );
    const input = root.fields[3].value;
    assert.equal(input.kind, 'list');
    const first = (input as { items: PbMessage[] }).items[0];
    const dims = first.fields.find((f) => f.name === 'dims')!;
    assert.equal(dims.value.kind, 'list');
    assert.equal(CONFIG.slice(root.fields[0].nameStart, root.fields[0].nameEnd), 'name');
    assert.equal(parsePbtxt('name: "a" "b"').fields[0].value.kind, 'scalar');
  });

  it('reports syntax errors with line and column', () => {
    assert.throws(
      () => parsePbtxt('name: "x"\ninput [ { name: "a" }\n'),
      (e: unknown) => e instanceof PbtxtSyntaxError && e.line === 3,
    );
    assert.throws(() => parsePbtxt('name "x"'), /expected ':' or '\{' after 'name'/);
    assert.throws(() => parsePbtxt('name: "unterminated\n'), /line 1, column 7/);
    assert.throws(() => parsePbtxt('dims: [ 1, 2'), /']' missing/);
  });
});

describe('config.pbtxt schema checks', () => {
  it('accepts a valid configuration', () => {
    assert.deepEqual(validateModelConfig(parsePbtxt(CONFIG)), []);
  });

  it('reports unknown fields, wrong kinds, bad enums, repeats and oneof conflicts', () => {
    const src =
      'nam: "x"\nmax_batch_size: "8"\nmax_batch_size: 4\ninput [ { data_type: FP32 } ]\ndynamic_batching { }\nsequence_batching { }\nversion_policy: "latest"\ninstance_group [ { count: -1 gpus: [ 0 ] kind: KIND_TPU } ]\n';
    const msgs = validateModelConfig(parsePbtxt(src)).map((p) => p.message);
    assert.ok(msgs.some((m) => m.startsWith("'nam' is not a field of ModelConfig")));
    assert.ok(msgs.some((m) => m === "'max_batch_size' takes an integer"));
    assert.ok(msgs.some((m) => m.includes("'max_batch_size' is set more than once")));
    assert.ok(msgs.some((m) => m.startsWith("'FP32' is not a value of DataType")));
    assert.ok(msgs.some((m) => m.includes("'sequence_batching' and 'dynamic_batching' exclude each other")));
    assert.ok(msgs.some((m) => m.includes("'version_policy' is a message")));
    assert.ok(msgs.some((m) => m.startsWith("'KIND_TPU' is not a value of Kind")));
    assert.equal(msgs.length, 7, msgs.join('\n'));
  });

  it('every message and enum the schema refers to exists', () => {
    for (const m of allMessages()) {
      for (const f of m.fields) {
        if (f.type.kind === 'message') assert.ok(messageDef(f.type.message), `${m.name}.${f.name} → ${f.type.message}`);
        if (f.type.kind === 'enum') assert.ok(enumDef(f.type.enum), `${m.name}.${f.name} → ${f.type.enum}`);
        assert.ok(f.doc.length > 5, `${m.name}.${f.name} has no doc`);
      }
    }
  });
});

describe('config.pbtxt completions and hovers', () => {
  it('knows which message the cursor is in and whether a value is expected', () => {
    let [t, o] = at('input [ { name: "a", dat| } ]');
    assert.deepEqual(cursorAt(t, o).path, ['input']);
    assert.equal(cursorAt(t, o).word, 'dat');
    [t, o] = at('dynamic_batching { default_queue_policy { timeout_action: | } }');
    assert.deepEqual(
      { path: cursorAt(t, o).path, valueOf: cursorAt(t, o).valueOf },
      { path: ['dynamic_batching', 'default_queue_policy'], valueOf: 'timeout_action' },
    );
    [t, o] = at('input { name: "x" }\n|');
    assert.deepEqual(cursorAt(t, o).path, []);
    [t, o] = at('ensemble_scheduling { step [ { model_name: "a" }, { input_map { | } } ] }');
    assert.deepEqual(cursorAt(t, o).path, ['ensemble_scheduling', 'step', 'input_map']);
  });

  it('completes field names of the enclosing message, unused ones first', () => {
    const [t, o] = at('max_batch_size: 8\n|');
    const { items } = completePbtxt(t, o);
    assert.ok(items.some((i) => i.label === 'dynamic_batching' && i.insertText.startsWith('dynamic_batching {')));
    assert.ok(items.some((i) => i.label === 'input' && i.insertText.startsWith('input [')));
    const mbs = items.find((i) => i.label === 'max_batch_size')!;
    assert.ok(mbs.sortText.startsWith('1'));
    const [t2, o2] = at('instance_group [ { | } ]');
    assert.deepEqual(
      completePbtxt(t2, o2)
        .items.map((i) => i.label)
        .slice(0, 3),
      ['name', 'kind', 'count'],
    );
  });

  it('completes enum values, booleans and known strings after a colon', () => {
    let [t, o] = at('input [ { data_type: | } ]');
    assert.ok(completePbtxt(t, o).items.some((i) => i.label === 'TYPE_FP32'));
    [t, o] = at('instance_group [ { kind: KIND_G| } ]');
    const r = completePbtxt(t, o);
    assert.ok(r.items.some((i) => i.label === 'KIND_GPU'));
    assert.equal(t.slice(r.start, r.end), 'KIND_G');
    [t, o] = at('backend: |');
    assert.ok(completePbtxt(t, o).items.some((i) => i.label === '"onnxruntime"'));
    [t, o] = at('dynamic_batching { preserve_ordering: | }');
    assert.deepEqual(
      completePbtxt(t, o).items.map((i) => i.label),
      ['true', 'false'],
    );
  });

  it('explains the field under the cursor in its context, and enum values', () => {
    const src = 'max_batch_size: 8\ninput [ { name: "x" dims: [ 3 ] } ]\ninstance_group [ { kind: KIND_CPU } ]';
    const h1 = hoverPbtxt(src, src.indexOf('max_batch') + 2)!;
    assert.match(h1.markdown, /\*\*max_batch_size\*\*/);
    assert.match(h1.markdown, /batch dimension is implicit/);
    const h2 = hoverPbtxt(src, src.indexOf('name') + 1)!;
    assert.match(h2.markdown, /ModelInput/);
    const h3 = hoverPbtxt(src, src.indexOf('KIND_CPU') + 3)!;
    assert.match(h3.markdown, /KIND_CPU\*\* — Kind/);
    assert.equal(hoverPbtxt(src, src.indexOf('"x"') + 1), undefined);
  });
});
