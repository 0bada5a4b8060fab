import * as vscode from 'vscode';
import type { ProgressEvent } from '../../core/bench/events';
import type { BenchResult, StepResult } from '../../core/bench/result';
import type { WorkerProgress } from '../../core/bench/scale/coordinator';
import type { Placement } from '../../core/bench/scale/placement';
import type { BenchSpec } from '../../core/bench/spec';
import type { RunMeta } from '../../core/results/resultsStore';
import type { LiveState } from '../../shared/messages/results';
import { toAbortSignal } from '../platform/cancellation';
import type { BenchService } from './benchService';
import { ResultsPanel } from './resultsPanel';

export interface StartRunOptions {
  spec: BenchSpec;
  name: string;
  server: { url: string; kind?: string; model?: string };
  apiKey?: string;
  /** Opens the results panel at the start (default true). */
  showPanel?: boolean;
  /** Where the load comes from (default: this machine, one engine thread). */
  placement?: Placement;
}

const MAX_LIVE_POINTS = 3000;

/**
 * Runs a benchmark with a cancellable progress notification, streaming the
 * records to the run's folder, saving the result after every step and at the
 * end (marked incomplete when cancelled), and feeding live points to the panel.
 */
export async function startRun(
  context: vscode.ExtensionContext,
  service: BenchService,
  opts: StartRunOptions,
): Promise<RunMeta | undefined> {
  const store = await service.store();
  const { partialResult } = await import('../../core/results/resultsStore.js');
  const placement = opts.placement && opts.placement.kind !== 'local' ? opts.placement : undefined;
  const meta = await store.create({ name: opts.name, group: opts.spec.group, server: opts.server, spec: opts.spec });
  const ctrl = new AbortController();
  const live: LiveState = { stepLabel: 'connecting', stepIndex: 0, completed: 0, failed: 0, inFlight: 0, points: [] };
  service.running.set(meta.id, { cancel: () => ctrl.abort(), live });
  service.fireChanged();
  if (opts.showPanel !== false) ResultsPanel.show(context, service, [meta.id], `Benchmark: ${meta.name}`);
  const t0 = Date.now();
  const steps: StepResult[] = [];
  const { LiveServerMetrics, liveClientPoint } = await import('../../core/bench/serverMetrics/view.js');
  const liveServer = new LiveServerMetrics();
  let serverInfo: { kind?: string; version?: string; model?: string; api?: string } = {};
  let saving = Promise.resolve();
  const save = () => {
    saving = saving
      .then(() => store.saveResult(meta.id, partialResult(meta, store.recordsPath(meta.id), [...steps], serverInfo)))
      .catch((e) => service.log.error(`Saving partial result: ${(e as Error).message}`));
  };

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Benchmark ${meta.name}`, cancellable: true },
    async (progress, token) => {
      const edge = toAbortSignal(token);
      const onCancel = () => ctrl.abort();
      edge.signal.addEventListener('abort', onCancel);
      const onProgress = (e: ProgressEvent) => {
        switch (e.type) {
          case 'run-start':
            serverInfo = { kind: e.server.kind, version: e.server.version, model: e.server.model, api: e.api };
            live.plannedSteps = e.plannedSteps;
            break;
          case 'step-start':
            live.stepIndex = e.step.index;
            live.stepLabel = e.step.label;
            progress.report({
              message: `step ${e.step.index + 1}${live.plannedSteps ? `/${live.plannedSteps}` : ''}: ${e.step.label}`,
            });
            break;
          case 'snapshot':
            if (e.step !== live.stepIndex) break; // a late snapshot of a worker still finishing the previous step
            live.completed = e.completed;
            live.failed = e.failed;
            live.inFlight = e.inFlight;
            // On the run's clock (as the server points and, after the run, the records): one time axis live.
            live.points.push(liveClientPoint(e, (Date.now() - t0) / 1000));
            if (live.points.length > MAX_LIVE_POINTS) live.points.splice(0, live.points.length - MAX_LIVE_POINTS);
            progress.report({
              message: `step ${live.stepIndex + 1}${live.plannedSteps ? `/${live.plannedSteps}` : ''}: ${live.stepLabel} · ${e.completed} done, ${e.requestsPerSec.toFixed(1)} req/s${workersLine()}`,
            });
            service.fireLive(meta.id, { ...live, points: [...live.points] });
            break;
          case 'step-end':
            steps.push(e.step);
            save();
            service.fireChanged();
            break;
          case 'warning':
            service.log.warn(`benchmark ${meta.name}: ${e.message}`);
            break;
          case 'server-metrics-info':
            liveServer.start(e);
            live.server = liveServer.view();
            break;
          case 'server-metrics':
            liveServer.add(e);
            live.server = liveServer.view();
            if (e.source === 'server') service.fireLive(meta.id, { ...live, points: [...live.points] });
            break;
          default:
            break;
        }
      };
      const onWorker = (w: WorkerProgress) => {
        const known = (live.workers ??= []);
        const entry = {
          shard: w.shard,
          where: w.where,
          state: w.state,
          completed: w.snapshot?.completed ?? known.find((k) => k.shard === w.shard)?.completed ?? 0,
          message: w.message,
        };
        const at = known.findIndex((k) => k.shard === w.shard);
        if (at >= 0) known[at] = entry;
        else known.push(entry);
        if (w.state !== 'running') {
          service.log.info(
            `benchmark ${meta.name}: worker ${w.shard}${w.where ? ` (${w.where})` : ''} ${w.state}${w.message ? `: ${w.message}` : ''}`,
          );
          progress.report({ message: `workers${workersLine()}` });
        }
        service.fireLive(meta.id, { ...live, points: [...live.points], workers: [...known] });
      };
      const workersLine = () =>
        live.workers?.length
          ? ` · ${live.workers.map((w) => `${w.shard} ${w.state}${w.completed ? ` ${w.completed}` : ''}`).join(', ')}`
          : '';
      try {
        const recordsPath = store.recordsPath(meta.id);
        let result: BenchResult;
        if (placement) {
          const [{ runScaledOut }, { launcherFor, workersOf }] = await Promise.all([
            import('../../core/bench/scale/coordinator.js'),
            import('../../core/bench/scale/placement.js'),
          ]);
          const launcher = await launcherFor(placement, opts.apiKey);
          result = await runScaledOut(opts.spec, launcher, {
            workers: workersOf(placement),
            signal: ctrl.signal,
            onProgress,
            onWorker,
            recordsPath,
            logger: service.log,
          });
        } else {
          const { runBenchmark } = await import('../../core/bench/runBenchmark.js');
          result = await runBenchmark(opts.spec, {
            signal: ctrl.signal,
            onProgress,
            recordsPath,
            logger: service.log,
            apiKey: opts.apiKey,
          });
        }
        await saving;
        const done = await store.finish(
          meta.id,
          result,
          (await import('../../core/results/runView.js')).runHeadline(result),
        );
        if (result.incomplete)
          void vscode.window.showWarningMessage(
            `Benchmark ${meta.name} stopped early (${result.incompleteReason ?? 'cancelled'}); what was measured is saved.`,
          );
        else if (result.clientBound)
          void vscode.window.showWarningMessage(
            `Benchmark ${meta.name}: the load generator was the bottleneck (${result.clientBoundReasons.join('; ')}). Treat the numbers as a lower bound.`,
          );
        return done;
      } catch (e) {
        await saving;
        const message = e instanceof Error ? e.message : String(e);
        await store.fail(meta.id, message).catch(() => undefined);
        service.log.error(`benchmark ${meta.name} failed: ${message}`);
        void vscode.window.showErrorMessage(`Benchmark ${meta.name} failed: ${message}`);
        return store.meta(meta.id).catch(() => undefined);
      } finally {
        edge.signal.removeEventListener('abort', onCancel);
        edge.dispose();
        service.running.delete(meta.id);
        service.fireChanged();
      }
    },
  );
}
