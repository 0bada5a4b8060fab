import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import YAML from 'yaml';
import { parsePbtxt } from '../../../src/core/guide/pbtxt/parser';
import { validateModelConfig } from '../../../src/core/guide/pbtxt/validate';
import { contributedSnippets, expanded, readSnippets, root } from './snippetFiles';

function checkPbtxt(text: string, name: string): void {
  const problems = validateModelConfig(parsePbtxt(text));
  assert.deepEqual(
    problems.map((p) => p.message),
    [],
    name,
  );
}

function yamlDocs(text: string, name: string): unknown[] {
  const docs = YAML.parseAllDocuments(text);
  for (const d of docs)
    assert.deepEqual(
      d.errors.map((e) => e.message),
      [],
      name,
    );
  return docs.map((d) => d.toJS());
}

type Obj = Record<string, unknown>;
const obj = (v: unknown) => v as Obj;

describe('snippets are contributed per language', () => {
  it('every snippet file is contributed and every contribution exists', () => {
    const files = fs.readdirSync(path.join(root, 'snippets')).sort();
    const contributed = contributedSnippets();
    assert.deepEqual([...new Set(contributed.map((c) => path.basename(c.path)))].sort(), files);
    for (const c of contributed) assert.ok(fs.existsSync(path.join(root, c.path)), c.path);
    const langs = (file: string) =>
      contributed
        .filter((c) => c.path.endsWith(file))
        .map((c) => c.language)
        .sort();
    assert.deepEqual(langs('triton-pbtxt.json'), ['triton-pbtxt']);
    assert.deepEqual(langs('compose.json'), ['dockercompose', 'yaml']);
    assert.deepEqual(langs('bench-json.json'), ['json', 'jsonc']);
    assert.deepEqual(langs('torchserve-properties.json'), ['properties']);
    assert.deepEqual(langs('modelfile.json'), ['ollama-modelfile']);
  });

  it('prefixes are unique within each language', () => {
    const byLang = new Map<string, string[]>();
    for (const c of contributedSnippets())
      byLang.set(c.language, [
        ...(byLang.get(c.language) ?? []),
        ...readSnippets(path.basename(c.path)).map((s) => s.prefix),
      ]);
    for (const [lang, prefixes] of byLang) assert.equal(new Set(prefixes).size, prefixes.length, lang);
  });

  it('every snippet the guide names exists', () => {
    const all = new Set(
      fs.readdirSync(path.join(root, 'snippets')).flatMap((f) => readSnippets(f).map((s) => s.prefix)),
    );
    const guide = fs
      .readdirSync(path.join(root, 'media', 'guide'), { recursive: true })
      .filter((f) => String(f).endsWith('.md'));
    const named = new Set<string>();
    for (const f of guide) {
      const text = fs.readFileSync(path.join(root, 'media', 'guide', String(f)), 'utf8');
      for (const m of text.matchAll(
        /`((?:triton|compose|k8s|kserve|helm|prometheus|otel|bench|ollama|torchserve|vllm|tgi)-[a-z-]+)`[^`]{0,40}snippet|snippet[^`]{0,20}`((?:triton|compose|k8s|kserve|helm|prometheus|otel|bench|ollama|torchserve|vllm|tgi)-[a-z-]+)`/g,
      ))
        named.add((m[1] ?? m[2]) as string);
    }
    assert.ok(named.size >= 5, [...named].join(', '));
    for (const n of named)
      assert.ok(
        [...all].some((p) => p === n || p.startsWith(n)),
        `the guide names snippet ${n}`,
      );
  });
});

describe('Triton config.pbtxt snippets', () => {
  for (const s of readSnippets('triton-pbtxt.json')) {
    it(`${s.prefix} expands to a valid ModelConfig`, () => checkPbtxt(expanded(s), s.prefix));
  }
});

describe('shell snippets', () => {
  for (const s of readSnippets('shell.json')) {
    it(`${s.prefix} is valid bash`, () => {
      const r = spawnSync('bash', ['-n'], { input: expanded(s), encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    });
  }
  it('triton-repo-layout writes a valid config.pbtxt', () => {
    const text = expanded(readSnippets('shell.json').find((s) => s.prefix === 'triton-repo-layout')!);
    const m = /<<'PBTXT'\n([\s\S]*?)\nPBTXT/.exec(text);
    assert.ok(m, 'heredoc');
    checkPbtxt(m[1], 'triton-repo-layout');
    assert.match(text, /mkdir -p model_repository\/resnet50\/1/);
  });
});

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever this machine has. */
function composeCommand(): { cmd: string[]; reason?: string } {
  const v2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (v2.status === 0) return { cmd: ['docker', 'compose'] };
  const v1 = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (v1.status === 0) return { cmd: ['docker-compose'] };
  return {
    cmd: [],
    reason: `Docker Compose is not installed (${(v2.stderr || v2.error?.message || '').trim().split('\n')[0]}; no docker-compose either)`,
  };
}

describe('Compose snippets', () => {
  const compose = readSnippets('compose.json');
  const dc = composeCommand();
  if (dc.reason) console.log(`# docker compose config: skipped: ${dc.reason}`);
  for (const s of compose) {
    it(`${s.prefix} is a Compose file with a GPU reservation and a pinned port`, () => {
      const [doc] = yamlDocs(expanded(s), s.prefix) as Obj[];
      const services = Object.values(obj(doc.services)) as Obj[];
      assert.equal(services.length, 1);
      const svc = services[0];
      assert.equal(typeof svc.image, 'string');
      const devices = obj(obj(obj(svc.deploy).resources).reservations).devices as Obj[];
      assert.equal(devices[0].driver, 'nvidia');
      assert.deepEqual(devices[0].capabilities, ['gpu']);
      assert.ok(Array.isArray(svc.ports) && svc.ports.length > 0);
      assert.ok(!/hf_[A-Za-z0-9]{10,}/.test(expanded(s)), 'no token literals');
    });
    it(`${s.prefix} passes ${dc.cmd.join(' ') || 'docker compose'} config`, { skip: dc.reason ?? false }, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snippet-compose-'));
      try {
        const file = path.join(dir, 'compose.yaml');
        fs.writeFileSync(file, expanded(s));
        const [cmd, ...pre] = dc.cmd;
        const r = spawnSync(cmd, [...pre, '-f', file, 'config', '-q'], {
          encoding: 'utf8',
          cwd: dir,
          env: { ...process.env, HF_TOKEN: '' },
        });
        assert.equal(r.status, 0, r.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('Kubernetes, KServe and Helm snippets', () => {
  const k8s = readSnippets('kubernetes.json');
  it('k8s-inference-deployment is a Deployment, Service and HPA with GPU limits that refer to each other', () => {
    const docs = yamlDocs(expanded(k8s.find((s) => s.prefix === 'k8s-inference-deployment')!), 'k8s') as Obj[];
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['Deployment', 'Service', 'HorizontalPodAutoscaler'],
    );
    const [dep, svc, hpa] = docs;
    const container = (obj(obj(obj(dep.spec).template).spec).containers as Obj[])[0];
    assert.equal(obj(obj(container.resources).limits)['nvidia.com/gpu'], 1);
    assert.ok(container.startupProbe && container.readinessProbe && container.livenessProbe);
    assert.deepEqual(obj(svc.spec).selector, obj(obj(dep.spec).selector).matchLabels);
    assert.equal(obj(obj(hpa.spec).scaleTargetRef).name, obj(dep.metadata).name);
  });
  it('kserve-inferenceservice is a v1beta1 InferenceService with a GPU predictor', () => {
    const [isvc] = yamlDocs(expanded(k8s.find((s) => s.prefix === 'kserve-inferenceservice')!), 'kserve') as Obj[];
    assert.equal(isvc.apiVersion, 'serving.kserve.io/v1beta1');
    assert.equal(isvc.kind, 'InferenceService');
    const model = obj(obj(obj(isvc.spec).predictor).model);
    assert.ok(obj(model.modelFormat).name && model.storageUri);
    assert.equal(obj(obj(model.resources).limits)['nvidia.com/gpu'], 1);
  });
  it('helm-values-inference is YAML with image, resources and autoscaling', () => {
    const [values] = yamlDocs(expanded(k8s.find((s) => s.prefix === 'helm-values-inference')!), 'helm') as Obj[];
    for (const k of ['image', 'resources', 'autoscaling', 'service', 'probes']) assert.ok(values[k], k);
  });
});

describe('observability snippets', () => {
  const obs = readSnippets('observability.json');
  it("prometheus-scrape-inference scrapes every server's metrics endpoint", () => {
    const [cfg] = yamlDocs(
      expanded(obs.find((s) => s.prefix === 'prometheus-scrape-inference')!),
      'prometheus',
    ) as Obj[];
    const jobs = cfg.scrape_configs as Obj[];
    assert.deepEqual(jobs.map((j) => j.job_name).sort(), [
      'dcgm',
      'kserve',
      'ray-serve',
      'tei',
      'tfserving',
      'tgi',
      'torchserve',
      'triton',
      'vllm',
    ]);
    const target = (job: string) =>
      (obj((jobs.find((j) => j.job_name === job)!.static_configs as Obj[])[0]).targets as string[])[0];
    assert.match(target('triton'), /:8002$/);
    assert.match(target('torchserve'), /:8082$/);
    assert.equal(jobs.find((j) => j.job_name === 'tfserving')!.metrics_path, '/monitoring/prometheus/metrics');
  });
  it('otel-collector-inference only uses components it defines', () => {
    const [cfg] = yamlDocs(expanded(obs.find((s) => s.prefix === 'otel-collector-inference')!), 'otel') as Obj[];
    for (const [name, p] of Object.entries(obj(obj(cfg.service).pipelines))) {
      for (const kind of ['receivers', 'processors', 'exporters']) {
        for (const c of (obj(p)[kind] as string[]) ?? [])
          assert.ok(obj(cfg[kind])[c] !== undefined, `${name}: ${kind} ${c}`);
      }
    }
  });
});

describe('benchmark spec snippets', () => {
  const schemaFile = path.join(root, 'src', 'core', 'bench', 'schema', 'spec.schema.json');
  const known = [
    'url',
    'group',
    'api',
    'model',
    'load',
    'requests',
    'durationSec',
    'warmup',
    'timeoutSec',
    'seed',
    'profile',
    'percentiles',
    'slo',
    'minGoodput',
    'text',
    'image',
    'embeddings',
    'apiKeyEnv',
    'grpcAddress',
    'out',
  ];
  const check = (spec: Obj, name: string) => {
    if (fs.existsSync(schemaFile)) {
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
      assert.ok(validate(spec), `${name}: ${ajv.errorsText(validate.errors)}`);
    } else {
      for (const k of Object.keys(spec)) assert.ok(known.includes(k), `${name}: unknown key ${k}`);
    }
    assert.ok(['text-generation', 'image-classification', 'embeddings'].includes(spec.group as string));
    assert.match(spec.url as string, /^http:\/\/127\.0\.0\.1:\d+$/);
  };
  for (const s of readSnippets('bench-yaml.json'))
    it(`${s.prefix} (YAML) is a valid spec`, () => check(yamlDocs(expanded(s), s.prefix)[0] as Obj, s.prefix));
  for (const s of readSnippets('bench-json.json'))
    it(`${s.prefix} (JSON) is a valid spec`, () => check(JSON.parse(expanded(s)) as Obj, s.prefix));
  it('the YAML and JSON forms of each spec are the same', () => {
    const json = readSnippets('bench-json.json');
    for (const y of readSnippets('bench-yaml.json'))
      assert.deepEqual(
        yamlDocs(expanded(y), y.prefix)[0],
        JSON.parse(expanded(json.find((j) => j.prefix === y.prefix)!)),
        y.prefix,
      );
  });
});

describe('TorchServe config.properties and Ollama Modelfile snippets', () => {
  it('torchserve-config is key=value lines with TorchServe keys', () => {
    const keys = [
      'inference_address',
      'management_address',
      'metrics_address',
      'grpc_inference_port',
      'grpc_management_port',
      'model_store',
      'load_models',
      'metrics_mode',
      'number_of_gpu',
      'default_workers_per_model',
      'job_queue_size',
      'default_response_timeout',
      'disable_token_authorization',
      'enable_model_api',
      'install_py_dep_per_model',
    ];
    const lines = expanded(readSnippets('torchserve-properties.json')[0])
      .split('\n')
      .filter((l) => l.trim());
    for (const l of lines) {
      const m = /^([a-z_]+)=(.+)$/.exec(l);
      assert.ok(m, l);
      assert.ok(keys.includes(m[1]), m[1]);
    }
    assert.ok(lines.some((l) => l === 'inference_address=http://0.0.0.0:8080'));
  });
  it('ollama-modelfile is made of Modelfile instructions, starting with FROM', () => {
    const lines = expanded(readSnippets('modelfile.json')[0])
      .split('\n')
      .filter((l) => l.trim());
    assert.match(lines[0], /^FROM \S+/);
    for (const l of lines) assert.match(l, /^(FROM|PARAMETER|SYSTEM|TEMPLATE|ADAPTER|LICENSE|MESSAGE|REQUIRES) /, l);
    for (const l of lines.filter((x) => x.startsWith('PARAMETER'))) assert.match(l, /^PARAMETER [a-z_]+ \S+/);
  });
});
