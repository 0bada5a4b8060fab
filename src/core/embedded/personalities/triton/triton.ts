/**
 * The NVIDIA Triton personality (wire reference §1–§3): HTTP/REST on its
 * first port, gRPC on the second, Prometheus metrics (nv_*) on the third, as
 * Triton's 8000/8001/8002. Serves the image classifier and embedding models.
 */
import * as grpc from '@grpc/grpc-js';
import { bindGrpcServer } from '../../../proto/inferenceServer';
import { CancelledError } from '../../../util/abort';
import { dialHost, listenHttp, type HttpListener } from '../../http/listen';
import { send } from '../../http/respond';
import { Router } from '../../http/router';
import type { Personality } from '../../personality';
import { addTritonGrpc } from './tritonGrpc';
import { tritonHttpRouter } from './tritonHttp';
import { TritonService } from './tritonService';
import { sendTritonJson, tritonHeaders } from './tritonWire';

function metricsRouter(service: TritonService): Router {
  return new Router({
    notFound: (_req, res) => sendTritonJson(res, 404, { error: 'Not Found' }),
    error: (_req, res) => sendTritonJson(res, 500, { error: 'failed to collect metrics' }),
  }).on('GET', '/metrics', (_req, res) => {
    res.sendDate = false;
    send(res, 200, service.stats.render(), tritonHeaders('text/plain; charset=utf-8'));
  });
}

export const tritonPersonality: Personality = {
  name: 'triton',
  title: 'NVIDIA Triton',
  portOffset: 10,
  portCount: 3,
  async start(ctx, host, port, signal) {
    const service = new TritonService(ctx);
    const at = (i: number) => (port === 0 ? 0 : port + i);
    const opened: HttpListener[] = [];
    const grpcServer = new grpc.Server({
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
      'grpc.max_send_message_length': 256 * 1024 * 1024,
    });
    addTritonGrpc(grpcServer, service);
    const closeAll = async () => {
      // forceShutdown ends open calls and streams at once, like the HTTP listeners' close.
      grpcServer.forceShutdown();
      await Promise.allSettled(opened.map((l) => l.close()));
    };
    try {
      opened.push(await listenHttp(tritonHttpRouter(service).handle, host, at(0), signal));
      const grpcPort = await bindGrpcServer(grpcServer, host, at(1)).catch((e: Error) => {
        throw new Error(
          /EADDRINUSE|address already in use/i.test(e.message)
            ? `Port ${at(1)} on ${host} is already in use`
            : `Cannot listen on ${host}:${at(1)}: ${e.message}`,
        );
      });
      if (signal?.aborted) throw new CancelledError();
      opened.push(await listenHttp(metricsRouter(service).handle, host, at(2), signal));
      return {
        endpoints: { triton: opened[0].url, tritonGrpc: `${dialHost(host)}:${grpcPort}`, tritonMetrics: opened[1].url },
        close: closeAll,
      };
    } catch (e) {
      await closeAll();
      throw e;
    }
  },
};
