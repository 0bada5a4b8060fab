/**
 * "Copy as Python": `requests` for HTTP (streams printed line by line),
 * `websockets` for WebSocket, `tritonclient.grpc` for KServe v2 gRPC (it
 * speaks `inference.GRPCInferenceService`, so it works with any v2 server).
 */
import type { HttpWire, WsWire } from '../build/wire';
import { bytesAsText, hasKey, pyValue, strLit } from './quote';

function pyDict(h: Record<string, string>): string {
  const entries = Object.entries(h).map(([k, v]) => `    ${strLit(k)}: ${pyValue(v)},`);
  return entries.length ? `{\n${entries.join('\n')}\n}` : '{}';
}

function pyBody(body: HttpWire['body'], bodyFile?: string): string | undefined {
  if (bodyFile) return `open(${strLit(bodyFile)}, "rb").read()`;
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : bytesAsText(body);
  if (text !== undefined) return `${strLit(text)}.encode("utf-8")`;
  return `bytes.fromhex(${strLit(Buffer.from(body as Uint8Array).toString('hex'))})`;
}

export function pythonHttp(wire: HttpWire, bodyFile?: string): string {
  const streamed = wire.expect === 'sse' || wire.expect === 'ndjson';
  const body = pyBody(wire.body, bodyFile);
  const lines = [
    ...(hasKey(wire.headers) ? ['import os', ''] : []),
    'import requests',
    '',
    `url = ${strLit(wire.url)}`,
    `headers = ${pyDict(wire.headers)}`,
    ...(body ? [`body = ${body}`] : []),
    '',
    `resp = requests.request(${strLit(wire.method)}, url, headers=headers${body ? ', data=body' : ''}${streamed ? ', stream=True' : ''}, timeout=60)`,
    'print(resp.status_code, resp.headers.get("content-type"))',
  ];
  if (streamed)
    lines.push('for line in resp.iter_lines(decode_unicode=True):', '    if line:', '        print(line, flush=True)');
  else lines.push('print(resp.text)');
  return lines.join('\n');
}

export function pythonWebSocket(wire: WsWire): string {
  return [
    ...(hasKey(wire.headers) ? ['import os'] : []),
    'import json',
    'from websockets.sync.client import connect',
    '',
    `messages = [${wire.messages.map(strLit).join(', ')}]`,
    `with connect(${strLit(wire.url)}, additional_headers=${pyDict(wire.headers).replace(/\n/g, '\n    ')}) as ws:`,
    '    for m in messages:',
    '        ws.send(m)',
    '    pending = len(messages)',
    '    for raw in ws:',
    '        print(raw, flush=True)',
    '        msg = json.loads(raw)',
    '        if msg.get("type") in ("done", "error"):',
    '            pending -= 1',
    '            if pending == 0:',
    '                break',
  ].join('\n');
}
