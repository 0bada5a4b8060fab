/**
 * An HTTPS server with a self-signed certificate made at test time with the
 * openssl CLI (undefined when openssl is not installed), answering like vLLM.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function startSelfSignedServer(): Promise<{ url: string; close(): Promise<void> } | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const key = fs.readFileSync(path.join(dir, 'key.pem'));
  const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  fs.rmSync(dir, { recursive: true, force: true });
  const server = https.createServer({ key, cert }, (req, res) => {
    const body =
      req.url === '/version'
        ? '{"version":"0.11.0"}'
        : req.url === '/v1/models'
          ? '{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"vllm"}]}'
          : req.url === '/health'
            ? ''
            : '{"detail":"Not Found"}';
    res.writeHead(req.url === '/version' || req.url === '/v1/models' || req.url === '/health' ? 200 : 404, {
      'content-type': 'application/json',
      server: 'uvicorn',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
