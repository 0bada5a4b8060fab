/**
 * A small KServe v2 peer for the request tests, built on the shared codec:
 * REST `/v2/models/{m}/infer` and gRPC ModelInfer answer `output0` = every
 * numeric input value × 2 (FP32), binary when asked; ModelStreamInfer answers
 * a BYTES token per word of the BYTES input `prompt`, or an in-band error for
 * the model "broken".
 */
import * as grpc from '@grpc/grpc-js';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { decodeGrpcInputs, encodeGrpcOutputs } from '../../../src/core/kserve/grpcTensors';
import { decodeInferRequest, encodeInferResponse, wantsBinaryOutput } from '../../../src/core/kserve/inferHttp';
import type { Tensor } from '../../../src/core/kserve/tensor';
import {
  addInferenceService,
  bindGrpcServer,
  type InferenceServiceHandlers,
} from '../../../src/core/proto/inferenceServer';
import type { ModelInferRequest, ModelStreamInferResponse } from '../../../src/core/proto/inferenceTypes';

function doubled(inputs: Tensor[]): Tensor[] {
  const values = inputs.flatMap((t) =>
    t.datatype === 'BYTES' ? [] : Array.from(t.values as ArrayLike<number | bigint>, (v) => Number(v) * 2),
  );
  return [{ name: 'output0', datatype: 'FP32', shape: [1, values.length], values: Float32Array.from(values) }];
}

const unused = () => {
  throw new Error('not used by these tests');
};

export async function startTensorPeer(): Promise<{
  httpUrl: string;
  grpcAddress: string;
  seen: ModelInferRequest[];
  close(): Promise<void>;
}> {
  const seen: ModelInferRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const decoded = decodeInferRequest(
          Buffer.concat(chunks),
          req.headers['inference-header-content-length'] as string | undefined,
        );
        const out = encodeInferResponse(
          { model_name: 'm', model_version: '1', outputs: doubled(decoded.inputs) },
          (n) => wantsBinaryOutput(decoded, n),
        );
        const headers: Record<string, string | number> = { 'content-type': out.contentType };
        if (out.headerLength !== undefined) headers['Inference-Header-Content-Length'] = out.headerLength;
        res.writeHead(200, headers).end(out.body);
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const handlers: InferenceServiceHandlers = {
    serverLive: () => ({ live: true }),
    serverReady: () => ({ ready: true }),
    modelReady: () => ({ ready: true }),
    serverMetadata: unused,
    modelMetadata: unused,
    modelStatistics: unused,
    repositoryIndex: unused,
    modelInfer: (req) => {
      seen.push(req);
      return {
        model_name: req.model_name,
        model_version: '1',
        id: req.id ?? '',
        ...encodeGrpcOutputs(doubled(decodeGrpcInputs(req))),
      };
    },
    async *modelStreamInfer(requests): AsyncIterable<ModelStreamInferResponse> {
      for await (const req of requests) {
        if (req.model_name === 'broken') {
          yield { error_message: 'model "broken" failed' };
          continue;
        }
        const prompt = decodeGrpcInputs(req).find((t) => t.datatype === 'BYTES');
        const words = prompt
          ? Buffer.from((prompt.values as Uint8Array[])[0])
              .toString('utf8')
              .split(' ')
          : [];
        for (const w of words) {
          await new Promise((r) => setTimeout(r, 5));
          yield {
            infer_response: {
              model_name: req.model_name,
              ...encodeGrpcOutputs([{ name: 'text', datatype: 'BYTES', shape: [1], values: [Buffer.from(`${w} `)] }]),
            },
          };
        }
      }
    },
  };
  const g = new grpc.Server();
  addInferenceService(g, handlers);
  const port = await bindGrpcServer(g, '127.0.0.1', 0);
  return {
    httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    grpcAddress: `127.0.0.1:${port}`,
    seen,
    close: async () => {
      g.forceShutdown();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
