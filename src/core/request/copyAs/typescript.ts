/**
 * "Copy as TypeScript" (Node 20+, run with tsx or ts-node): global `fetch`
 * for HTTP with the body streamed to stdout, `ws` for WebSocket,
 * @grpc/grpc-js with @grpc/proto-loader for KServe v2 gRPC.
 */
import type { HttpWire, WsWire } from '../build/wire';
import { bytesAsText, strLit, tsValue } from './quote';

function tsObject(h: Record<string, string>, indent = ''): string {
  const entries = Object.entries(h).map(([k, v]) => `${indent}  ${strLit(k)}: ${tsValue(v)},`);
  return entries.length ? `{\n${entries.join('\n')}\n${indent}}` : '{}';
}

function tsBody(body: HttpWire['body'], bodyFile?: string): { imports: string[]; expr?: string } {
  if (bodyFile)
    return { imports: ["import { readFileSync } from 'node:fs';"], expr: `readFileSync(${strLit(bodyFile)})` };
  if (body === undefined) return { imports: [] };
  const text = typeof body === 'string' ? body : bytesAsText(body);
  if (text !== undefined) return { imports: [], expr: strLit(text) };
  return { imports: [], expr: `Buffer.from(${strLit(Buffer.from(body as Uint8Array).toString('base64'))}, 'base64')` };
}

export function typescriptHttp(wire: HttpWire, bodyFile?: string): string {
  const body = tsBody(wire.body, bodyFile);
  return [
    ...body.imports,
    ...(body.imports.length ? [''] : []),
    `const res = await fetch(${strLit(wire.url)}, {`,
    `  method: ${strLit(wire.method)},`,
    `  headers: ${tsObject(wire.headers, '  ')},`,
    ...(body.expr ? [`  body: ${body.expr},`] : []),
    '});',
    "console.log(res.status, res.headers.get('content-type'));",
    '// Prints the body as it arrives (token by token for a stream).',
    'const decoder = new TextDecoder();',
    'for await (const chunk of res.body ?? []) process.stdout.write(decoder.decode(chunk, { stream: true }));',
    "process.stdout.write('\\n');",
  ].join('\n');
}

export function typescriptWebSocket(wire: WsWire): string {
  return [
    "import WebSocket from 'ws';",
    '',
    `const messages: string[] = [${wire.messages.map(strLit).join(', ')}];`,
    `const ws = new WebSocket(${strLit(wire.url)}, { headers: ${tsObject(wire.headers)} });`,
    'let pending = messages.length;',
    "ws.on('open', () => messages.forEach((m) => ws.send(m)));",
    "ws.on('message', (data) => {",
    '  const text = data.toString();',
    '  console.log(text);',
    '  const msg = JSON.parse(text) as { type?: string };',
    "  if ((msg.type === 'done' || msg.type === 'error') && --pending === 0) ws.close();",
    '});',
    "ws.on('error', (e) => console.error(e.message));",
  ].join('\n');
}
