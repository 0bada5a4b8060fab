import * as vscode from 'vscode';
import type { BenchGroup, BenchSpec, CapacitySpec } from '../../core/bench/spec';
import type { PresetName } from '../../core/results/presets';
import { parseNodeId } from '../../core/servers/view/nodeIds';
import type { ServerChoice } from '../../shared/servers';
import type { ServersApi } from '../servers/registerServers';
import { benchGroups, benchGroupTable } from '../../shared/benchGroups';
import { loraEntry } from './pickLora';
import { offlineEntry } from './pickOffline';
import { sessionsEntry } from './pickSessions';
import { sharedPrefixEntry } from './pickSharedPrefix';
import { thrownMessage, type WorkloadEntry } from './pickWorkload';

/** Arguments the Run Benchmark command takes from tree nodes, guide links, CodeLenses and tests. */
export interface RunArgs {
  group?: BenchGroup;
  serverId?: string;
  url?: string;
  model?: string;
  preset?: PresetName;
  spec?: BenchSpec;
  name?: string;
  /** A node of the Servers tree (`{id}`): server node `emb:vllm`, model node `emb:vllm/model:<name>`. */
  id?: string;
}

export interface RunChoice {
  spec: BenchSpec;
  name: string;
  server: { url: string; kind?: string; model?: string };
  serverId?: string;
}

/** Text-generation workloads that ask for their settings (each in its own file, like offlineEntry). */
const textWorkloads = [sessionsEntry, loraEntry, sharedPrefixEntry];
type Choice =
  PresetName | 'spec' | 'dataset' | 'trace' | 'capacity' | (typeof offlineEntry | (typeof textWorkloads)[number])['p'];

interface Remembered {
  serverId?: string;
  model?: string;
  group?: BenchGroup;
  preset?: Choice;
}

const MEMO = 'inferenceLab.bench.lastChoice';
const groups = benchGroups.map((group) => ({
  group,
  label: benchGroupTable[group].label,
  detail: benchGroupTable[group].detail,
}));

/** The group a server kind is most likely benchmarked for (its descriptor; the registry loads on first use). */
async function defaultGroup(kind?: string): Promise<BenchGroup> {
  const [{ kinds }, { isServerKind }] = await Promise.all([
    import('../../core/servers/registry.js'),
    import('../../core/servers/types.js'),
  ]);
  return isServerKind(kind) ? kinds[kind].benchGroup : 'text-generation';
}

async function pick<T extends vscode.QuickPickItem>(
  items: T[],
  placeHolder: string,
  title: string,
): Promise<T | undefined> {
  return vscode.window.showQuickPick(items, { placeHolder, title, ignoreFocusOut: true, matchOnDetail: true });
}

/**
 * Asks for what the arguments leave open: server, model, group and preset (or
 * a spec file), remembering the choices per workspace.
 */
export async function pickRun(
  context: vscode.ExtensionContext,
  servers: ServersApi,
  args: RunArgs = {},
): Promise<RunChoice | undefined> {
  const memo = context.workspaceState.get<Remembered>(MEMO, {});
  const title = 'Run Benchmark';
  if (args.spec) {
    return {
      spec: args.spec,
      name: args.name ?? `${args.spec.group} ${new Date().toLocaleTimeString()}`,
      server: { url: args.spec.url, model: args.spec.model },
    };
  }
  let serverId = args.serverId;
  let model = args.model;
  if (args.id && !serverId) {
    // A tree node: its server's key leads to the server, whose config id is the directory's id.
    const node = parseNodeId(args.id);
    serverId = (await servers.service()).find(node.serverKey)?.config.id;
    model ??= node.model;
  }
  let choices = await servers.directory.list();
  if (!choices.length) {
    await servers.embedded.ensureEndpoint('vllm').catch(() => undefined);
    choices = await servers.directory.list();
  }
  let server: ServerChoice | undefined = args.url
    ? { id: 'url', name: args.url, url: args.url, origin: 'configured', status: 'ready', models: [] }
    : choices.find((c) => c.id === serverId);
  if (!server) {
    const items = choices.map((c) => ({
      label: c.name,
      description: [c.kind, c.status].filter(Boolean).join(' · '),
      detail: c.url,
      choice: c,
      picked: c.id === memo.serverId,
    }));
    items.sort((a, b) => Number(b.choice.id === memo.serverId) - Number(a.choice.id === memo.serverId));
    if (!items.length) {
      void vscode.window.showErrorMessage(
        'No server to benchmark: add a server or enable the embedded server (setting inferenceLab.embeddedServer.enabled).',
      );
      return undefined;
    }
    server = (await pick(items, 'Which server?', title))?.choice;
    if (!server) return undefined;
  }
  const preferred = memo.serverId === server.id && memo.group ? memo.group : await defaultGroup(server.kind);
  const groupItems = groups
    .map((g) => ({ label: g.label, detail: g.detail, g: g.group }))
    .sort((a, b) => Number(b.g === preferred) - Number(a.g === preferred));
  const group = args.group ?? (await pick(groupItems, 'Which benchmark group?', title))?.g;
  if (!group) return undefined;
  if (!model && server.models.length > 1) {
    const items = server.models.map((m) => ({ label: m, picked: m === memo.model }));
    items.sort((a, b) => Number(b.label === memo.model) - Number(a.label === memo.model));
    model = (await pick(items, 'Which model? (Escape: let the engine choose the first ready one)', title))?.label;
  } else if (!model && server.models.length === 1) model = server.models[0];
  let preset = args.preset;
  let spec: BenchSpec | undefined;
  if (!preset) {
    const { presetDescriptions } = await import('../../core/results/presets.js');
    const items: Array<vscode.QuickPickItem & { p: Choice; ask?: WorkloadEntry<Choice>['ask'] }> = [
      ...(Object.keys(presetDescriptions) as PresetName[]).map((p) => ({ label: p, detail: presetDescriptions[p], p })),
      {
        label: 'Capacity under an SLO…',
        detail: 'The highest request rate meeting p99 latency bounds you give, each rate stopped by a statistical test',
        p: 'capacity' as const,
      },
      offlineEntry,
      {
        label: 'From a spec file…',
        detail: 'A *.bench.json or *.bench.yaml file (the server and group above replace its url and group)',
        p: 'spec' as const,
      },
      ...(group === 'text-generation'
        ? [
            {
              label: 'Prompts from a dataset file…',
              detail:
                'ShareGPT .json, .jsonl (prompt, messages or Hugging Face columns) or Hugging Face .parquet: the standard preset with its prompts',
              p: 'dataset' as const,
            },
            {
              label: 'Replay a trace file…',
              detail: 'Mooncake .jsonl, Azure LLM inference .csv or BurstGPT .csv: each request at its recorded time',
              p: 'trace' as const,
            },
            ...textWorkloads,
          ]
        : []),
    ];
    items.sort((a, b) => Number(b.p === memo.preset) - Number(a.p === memo.preset));
    const chosen = await pick(items, 'Which preset?', title);
    if (!chosen) return undefined;
    if (chosen.p === 'spec') {
      const files = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Benchmark spec': ['json', 'yaml', 'yml'] },
        openLabel: 'Use spec',
      });
      if (!files?.length) return undefined;
      const { parseSpecText } = await import('../../core/bench/specFile.js');
      const text = Buffer.from(await vscode.workspace.fs.readFile(files[0])).toString('utf8');
      spec = { ...parseSpecText(text, files[0].fsPath), url: server.url, group, model: model ?? undefined };
    } else if (chosen.p === 'dataset') {
      const files = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Prompt dataset': ['jsonl', 'ndjson', 'json', 'parquet'] },
        openLabel: 'Use dataset',
      });
      if (!files?.length) return undefined;
      const { presetSpec } = await import('../../core/results/presets.js');
      const base = presetSpec('standard', group, server.url, model);
      spec = { ...base, text: { ...base.text, dataset: files[0].fsPath } };
    } else if (chosen.p === 'trace') {
      const files = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Request trace': ['jsonl', 'csv'] },
        openLabel: 'Replay trace',
      });
      if (!files?.length) return undefined;
      const speed = await vscode.window.showInputBox({
        title,
        prompt: 'Replay speed (1 = as recorded, 10 = ten times faster)',
        value: '1',
        validateInput: (v) => (Number(v) > 0 ? undefined : 'A positive number'),
      });
      if (speed === undefined) return undefined;
      spec = {
        url: server.url,
        group,
        model,
        load: { trace: { file: files[0].fsPath, speed: Number(speed) } },
        text: { ignoreEos: true },
      };
    } else if (chosen.ask) {
      spec = await chosen.ask({ title, server, group, model });
      if (!spec) return undefined;
    } else if (chosen.p === 'capacity') {
      const text = group === 'text-generation';
      const { parseSlo } = await import('../../core/bench/sloText.js');
      const answer = await vscode.window.showInputBox({
        title,
        prompt: text
          ? 'SLO in ms, each bound holding for p99 of requests (ttft, tpot, e2el)'
          : 'SLO in ms, holding for p99 of requests (e2el: end-to-end latency)',
        value: text ? 'ttft=500,tpot=50' : 'e2el=200',
        validateInput: (v) =>
          thrownMessage(() => parseSlo(v, 'SLO')) ??
          (Object.keys(parseSlo(v, 'SLO')).length ? undefined : 'Give at least one bound, e.g. ttft=500'),
      });
      if (answer === undefined) return undefined;
      // A p99 pass at 95 % confidence takes 800 requests per load: minutes per point at a few req/s. The quick
      // look asks less of each point (p90, 90 %: a pass after 80 requests) and starts at 4 req/s.
      const depth = await pick(
        [
          {
            label: 'Quick look: p90 at 90 % confidence',
            detail: 'From 4 req/s; each load decided after 20 to 400 requests (a pass takes 80): about a minute',
            c: {
              dimension: 'rate',
              start: 4,
              max: 256,
              percentile: 90,
              confidence: 0.9,
              minRequests: 20,
              maxRequests: 400,
            },
          },
          {
            label: 'MLPerf-like: p99 at 95 % confidence',
            detail: 'From 1 req/s; each load decided after 100 to 3200 requests (a pass takes 800): many minutes',
            c: { dimension: 'rate', start: 1, max: 256 },
          },
        ] satisfies Array<vscode.QuickPickItem & { c: CapacitySpec }>,
        'How sure should each load’s verdict be?',
        title,
      );
      if (!depth) return undefined;
      const { presetSpec } = await import('../../core/results/presets.js');
      const base = presetSpec('quick', group, server.url, model);
      spec = {
        ...base,
        requests: undefined,
        warmup: 2,
        load: { capacity: depth.c },
        slo: parseSlo(answer),
      };
    }
    await context.workspaceState.update(MEMO, {
      serverId: server.id,
      model,
      group,
      preset: chosen.p,
    } satisfies Remembered);
    if (chosen.p in presetDescriptions) preset = chosen.p as PresetName;
  }
  if (!spec) {
    const { presetSpec } = await import('../../core/results/presets.js');
    spec = presetSpec(preset ?? 'quick', group, server.url, model);
  }
  const fileName = (p: string) => p.split(/[\\/]/).pop();
  const source =
    preset ??
    (spec.load.capacity
      ? 'capacity under an SLO'
      : spec.load.offline
        ? `MLPerf Offline, ${spec.load.offline.queries} queries`
        : spec.load.sessions
          ? `${spec.load.sessions.users} users × ${spec.load.sessions.turns ?? 4} turns`
          : spec.load.trace
            ? `trace ${fileName(spec.load.trace.file)}`
            : spec.text?.dataset
              ? `dataset ${fileName(spec.text.dataset)}`
              : spec.text?.lora
                ? `LoRA ${spec.text.lora.map((a) => a.name).join(', ')}`
                : spec.text?.sharedPrefix
                  ? `${spec.text.sharedPrefix.groups} groups sharing ${spec.text.sharedPrefix.tokens}-token prefixes`
                  : 'spec');
  const name = args.name ?? `${group} · ${server.name}${model ? ` · ${model}` : ''} · ${source}`;
  return {
    spec,
    name,
    server: { url: server.url, kind: server.kind, model },
    serverId: server.id === 'url' ? undefined : server.id,
  };
}
