/**
 * The real-servers tier: each server of the registry is set up (venv + model), started on a free loopback
 * port and checked by its conformance suite; the same suite then runs against the embedded personality
 * speaking the same protocol. A server that cannot be set up or started fails each of its checks with the
 * installer's or the server's own error: nothing is skipped.
 * REAL_SERVERS=vllm,… limits the servers (the default is every server of the registry).
 */
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EmbeddedServer } from '../../src/core/embedded/server';
import { personalityLoaders } from '../../src/core/embedded/personalityList';
import type { Target } from './conformance';
import {
  buildAhead,
  freePort,
  realServers,
  setupServer,
  startServer,
  type RealServer,
  type Running,
  type StepError,
} from './registry';
import { embeddingsChecks } from './embeddings.conformance';
import { llamacppChecks } from './llamacpp.conformance';
import { rayserveChecks } from './rayserve.conformance';
import { torchserveChecks } from './torchserve.conformance';
import { v2Checks } from './v2.conformance';
import { vllmChecks, type Outcome } from './vllm.conformance';

const suites: Record<RealServer['suite'], typeof vllmChecks> = {
  vllm: vllmChecks,
  v2: v2Checks,
  torchserve: torchserveChecks,
  embeddings: embeddingsChecks,
  llamacpp: llamacppChecks,
  rayserve: rayserveChecks,
};
const wanted = process.env.REAL_SERVERS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const report: Array<{ target: string; setup: string; start: string; outcome: Outcome; failed: string[] }> = [];
const reportFile = process.env.REAL_REPORT ?? path.join(__dirname, '..', '..', 'out', 'real', 'report.json');

const servers = realServers.filter((s) => !wanted || wanted.includes(s.name));
// Source builds (llama.cpp) start now, beside the other servers' installs: a compile is CPU, an install mostly I/O.
const stopBuildAhead = buildAhead(servers);

for (const server of servers) {
  const checks = suites[server.suite];
  describe(server.name, () => {
    let running: Running | undefined;
    let failure: StepError | undefined;
    const realRow = {
      target: `${server.name} (real)`,
      setup: '',
      start: '',
      outcome: {} as Outcome,
      failed: [] as string[],
    };
    let embedded: EmbeddedServer | undefined;
    let embeddedTarget: Target | undefined;
    const embRow = {
      target: `${server.name} (embedded)`,
      setup: '-',
      start: '',
      outcome: {} as Outcome,
      failed: [] as string[],
    };
    let realTarget: Target | undefined;

    before(async () => {
      const s = await setupServer(server);
      if (!s.ok) {
        failure = s.error;
        realRow.setup = 'FAILED';
        return;
      }
      realRow.setup = `ok (${(s.ms / 1000).toFixed(0)} s)`;
      const r = await startServer(server);
      if (!r.ok) {
        failure = r.error;
        realRow.start = 'FAILED';
        return;
      }
      running = r.running;
      realRow.start = `ok (${(running.startMs / 1000).toFixed(0)} s)`;
      const at = (offset?: number) => (offset === undefined ? undefined : `127.0.0.1:${running!.port + offset}`);
      const metrics = at(server.metricsOffset);
      realTarget = {
        label: `${server.name} (real)`,
        url: running.url,
        kind: server.kind,
        model: server.model,
        real: true,
        grpcAddress: at(server.grpcOffset),
        metricsUrl: metrics && `http://${metrics}/metrics`,
        models: server.models,
        bytesModel: server.bytesModel,
        textModel: server.textModel,
        streamModel: server.streamModel,
        refusalModel: server.kind === 'triton' ? server.bytesModel : undefined,
      };
    });

    before(async () => {
      // The Triton twin of a v2 server with gRPC at the HTTP port + 1 takes the same layout (HTTP, gRPC +1, metrics
      // +2), so that "added by URL" finds its gRPC where the real one's is.
      const layout = server.personality === 'triton' && server.grpcOffset === 1 ? { port: await freePort(3) } : {};
      embedded = new EmbeddedServer(
        {
          portBase: 0,
          host: '127.0.0.1',
          personalities: { [server.personality]: { ...server.embeddedOptions, ...layout } },
        },
        { loaders: { [server.personality]: personalityLoaders[server.personality] } },
      );
      const endpoints = await embedded.start();
      const url = endpoints[server.personality];
      let model = server.embeddedModel;
      if (!model) {
        const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
        model = models.data.find((m) => !/embed/i.test(m.id))?.id ?? models.data[0].id;
      }
      embeddedTarget = {
        label: `${server.name} (embedded)`,
        url,
        kind: server.personality,
        model,
        real: false,
        grpcAddress: endpoints[`${server.personality}Grpc`],
        metricsUrl: endpoints[`${server.personality}Metrics`] && `${endpoints[`${server.personality}Metrics`]}/metrics`,
        managementUrl: endpoints[`${server.personality}Management`],
        textModel: server.embeddedTextModel,
        // The embedded Triton serves a decoupled "words" model like the real one: the same stream check runs on both.
        streamModel: server.streamModel,
        // The embedded Triton's BYTES model with the real "text" model's input: the same refusals on both.
        refusalModel: server.kind === 'triton' ? 'mini-embed' : undefined,
      };
      embRow.start = 'ok (in-process)';
    });

    after(async () => {
      await running?.stop();
      await embedded?.stop();
      report.push(realRow, embRow);
    });

    for (const [name, check] of Object.entries(checks) as Array<
      [keyof Outcome, (t: Target, o: Outcome) => Promise<void>]
    >) {
      it(`real ${server.name}: ${name}`, async () => {
        try {
          if (failure)
            throw new Error(
              `${server.name} could not be ${failure.step === 'setup' ? 'installed' : 'started'} here: ${failure.message}`,
            );
          await check(realTarget!, realRow.outcome);
        } catch (e) {
          realRow.failed.push(name);
          throw e;
        }
      });
      it(`embedded ${server.personality}: ${name}`, async () => {
        try {
          await check(embeddedTarget!, embRow.outcome);
        } catch (e) {
          embRow.failed.push(name);
          throw e;
        }
      });
    }
  });
}

after(() => {
  stopBuildAhead();
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  const lines = [
    '',
    'real-servers tier:',
    ...report.map(
      (r) =>
        `  ${r.target}: setup ${r.setup || '-'}, start ${r.start || '-'}, failed: ${r.failed.join(', ') || 'none'}\n${Object.entries(
          r.outcome,
        )
          .map(([k, v]) => `      ${k}: ${v}`)
          .join('\n')}`,
    ),
  ];
  console.log(lines.join('\n'));
});
