/**
 * Copies of a KServe v2 gRPC request. The request is written as proto3 JSON
 * (bytes as base64), which grpcurl reads with `-d` and protobufjs (behind
 * @grpc/proto-loader) accepts as it is. Python uses tritonclient.grpc, whose
 * stubs are `inference.GRPCInferenceService` too.
 */
import type { ModelInferRequest } from '../../proto/inferenceTypes';
import { bytesOf } from '../views/jsonBody';
import type { GrpcWire } from '../build/wire';
import { hasKey, pyValue, shQuote, shQuoteWithKey, strLit, tsValue } from './quote';
import { maxArgumentBody } from './curl';

export function protoJson(req: ModelInferRequest): string {
  return JSON.stringify(
    req,
    (_k, v: unknown) => {
      const bytes = bytesOf(v);
      return bytes ? Buffer.from(bytes).toString('base64') : v;
    },
    2,
  );
}

function grpcTarget(address: string): { target: string; tls: boolean } {
  const m = /^(grpcs?|https?):\/\/(.*)$/i.exec(address.trim());
  return { target: (m ? m[2] : address).replace(/\/+$/, ''), tls: !!m && /^(grpcs|https)$/i.test(m[1]) };
}

const method = (w: GrpcWire) => (w.stream ? 'ModelStreamInfer' : 'ModelInfer');

export function toGrpcurl(wire: GrpcWire, protoDir: string, allowSelfSigned = false): string {
  const { target, tls } = grpcTarget(wire.address);
  const lines = [
    `grpcurl ${tls ? (allowSelfSigned ? '-insecure' : '') : '-plaintext'}`.trim(),
    `-import-path ${shQuote(protoDir)} -proto grpc_service.proto`,
  ];
  for (const [k, v] of Object.entries(wire.metadata)) lines.push(`-H ${shQuoteWithKey(`${k}: ${v}`)}`);
  // A request too long for one argument (see maxArgumentBody) is piped in: `-d @` reads stdin.
  const body = JSON.stringify(JSON.parse(protoJson(wire.request)));
  const piped = Buffer.byteLength(body) > maxArgumentBody;
  lines.push(piped ? '-d @' : `-d ${shQuote(body)}`);
  lines.push(`${shQuote(target)} inference.GRPCInferenceService/${method(wire)}`);
  return (piped ? `printf '%s' ${shQuote(body)} | ` : '') + lines.join(' \\\n  ');
}

const npTypes: Record<string, string> = {
  BOOL: 'np.bool_',
  UINT8: 'np.uint8',
  UINT16: 'np.uint16',
  UINT32: 'np.uint32',
  UINT64: 'np.uint64',
  INT8: 'np.int8',
  INT16: 'np.int16',
  INT32: 'np.int32',
  INT64: 'np.int64',
  FP16: 'np.float16',
  FP32: 'np.float32',
  FP64: 'np.float64',
  BYTES: 'np.object_',
};

function pyInput(t: ModelInferRequest['inputs'][number], i: number, raw: Uint8Array | undefined): string[] {
  const v = `inp${i}`;
  const shape = `[${t.shape.join(', ')}]`;
  let data: string;
  if (raw && t.datatype === 'BYTES')
    data = `deserialize_bytes_tensor(base64.b64decode(${strLit(Buffer.from(raw).toString('base64'))})).reshape(${shape})`;
  else if (raw)
    data = `np.frombuffer(base64.b64decode(${strLit(Buffer.from(raw).toString('base64'))}), dtype=${npTypes[t.datatype] ?? 'np.float32'}).reshape(${shape})`;
  else {
    const c = t.contents ?? {};
    const values =
      c.bytes_contents?.map((b) => Buffer.from(b).toString('utf8')) ??
      c.fp32_contents ??
      c.fp64_contents ??
      c.int_contents ??
      c.int64_contents ??
      c.uint_contents ??
      c.uint64_contents ??
      c.bool_contents ??
      [];
    const lit =
      t.datatype === 'BYTES'
        ? `[${values.map((x) => `${strLit(String(x))}.encode()`).join(', ')}]`
        : JSON.stringify(values).replace(/true/g, 'True').replace(/false/g, 'False');
    data = `np.array(${lit}, dtype=${npTypes[t.datatype] ?? 'np.float32'}).reshape(${shape})`;
  }
  return [
    `${v} = grpcclient.InferInput(${strLit(t.name)}, ${shape}, ${strLit(t.datatype)})`,
    `${v}.set_data_from_numpy(${data})`,
  ];
}

export function pythonGrpc(wire: GrpcWire): string {
  const { target, tls } = grpcTarget(wire.address);
  const r = wire.request;
  const inputs = r.inputs.flatMap((t, i) => pyInput(t, i, r.raw_input_contents?.[i]));
  const outputs = (r.outputs ?? []).map((o) => `grpcclient.InferRequestedOutput(${strLit(o.name)})`);
  const headers = Object.entries(wire.metadata).map(([k, v]) => `${strLit(k)}: ${pyValue(v)}`);
  return [
    ...(hasKey(wire.metadata) ? ['import os'] : []),
    'import base64',
    'import numpy as np',
    'import tritonclient.grpc as grpcclient',
    'from tritonclient.utils import deserialize_bytes_tensor',
    '',
    `client = grpcclient.InferenceServerClient(url=${strLit(target)}${tls ? ', ssl=True' : ''})`,
    ...inputs,
    `result = client.infer(${strLit(r.model_name)}, [${r.inputs.map((_, i) => `inp${i}`).join(', ')}]${outputs.length ? `, outputs=[${outputs.join(', ')}]` : ''}${r.model_version ? `, model_version=${strLit(r.model_version)}` : ''}${headers.length ? `, headers={${headers.join(', ')}}` : ''})`,
    'response = result.get_response()',
    'for i, out in enumerate(response.outputs):',
    '    print(out.name, out.datatype, list(out.shape))',
    '    if i < len(response.raw_output_contents):',
    '        print(result.as_numpy(out.name))',
    "    else:  # typed contents (KServe's Python server answers so): as_numpy reads raw contents only",
    '        print(next((list(v) for _, v in out.contents.ListFields()), []))',
  ].join('\n');
}

export function typescriptGrpc(wire: GrpcWire, protoDir: string): string {
  const { target, tls } = grpcTarget(wire.address);
  const md = Object.entries(wire.metadata).map(([k, v]) => `metadata.set(${strLit(k)}, ${tsValue(v)});`);
  const call = wire.stream
    ? [
        'const call = client.ModelStreamInfer(metadata);',
        "call.on('data', (r: unknown) => console.dir(r, { depth: 6 }));",
        "call.on('error', (e: Error) => console.error(e.message));",
        'call.write(request);',
        'call.end();',
      ]
    : [
        'client.ModelInfer(request, metadata, (err: Error | null, res: unknown) => {',
        '  if (err) console.error(err.message);',
        '  else console.dir(res, { depth: 6 });',
        '  client.close();',
        '});',
      ];
  return [
    "import * as grpc from '@grpc/grpc-js';",
    "import * as protoLoader from '@grpc/proto-loader';",
    '',
    `const def = protoLoader.loadSync(${strLit(`${protoDir}/grpc_service.proto`)}, { keepCase: true, longs: Number, defaults: true, oneofs: true });`,
    'const pkg = grpc.loadPackageDefinition(def) as any;',
    `const client = new pkg.inference.GRPCInferenceService(${strLit(target)}, grpc.credentials.${tls ? 'createSsl()' : 'createInsecure()'});`,
    'const metadata = new grpc.Metadata();',
    ...md,
    '// Bytes fields are base64 strings here: protobufjs decodes them when it serializes.',
    `const request = ${protoJson(wire.request)};`,
    ...call,
  ].join('\n');
}
