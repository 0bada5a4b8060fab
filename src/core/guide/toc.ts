/**
 * The guide's table of contents. A page id is its path under media/guide
 * without `.md` (`servers/triton` → media/guide/servers/triton.md); a topic id
 * for "Learn more" links is a page id with an optional `#anchor`.
 * Page titles are not repeated here: each page's first `# ` heading is its title.
 */
export interface GuideSectionDef {
  readonly id: string;
  readonly title: string;
  readonly pages: readonly string[];
}

export const GUIDE_TOC: readonly GuideSectionDef[] = [
  { id: 'start', title: 'Start here', pages: ['index'] },
  {
    id: 'fundamentals',
    title: 'Fundamentals',
    pages: [
      'fundamentals/what-is-inference',
      'fundamentals/request-lifecycle',
      'fundamentals/gpu-fundamentals',
      'fundamentals/workloads-and-pitfalls',
    ],
  },
  { id: 'models', title: 'Models', pages: ['models/domains', 'models/formats'] },
  { id: 'interfaces', title: 'Interfaces', pages: ['interfaces/transports', 'interfaces/protocols'] },
  {
    id: 'servers',
    title: 'Servers',
    pages: [
      'servers/overview',
      'servers/triton',
      'servers/torchserve',
      'servers/tf-serving',
      'servers/vllm',
      'servers/tgi',
      'servers/ollama',
      'servers/kserve',
      'servers/ray-serve',
      'servers/hybrid',
    ],
  },
  {
    id: 'patterns',
    title: 'Usage patterns',
    pages: ['patterns/single-model-api', 'patterns/pipelines-and-ensembles', 'patterns/rag-and-agents'],
  },
  {
    id: 'architecture',
    title: 'Architecture',
    pages: ['architecture/reference-architecture', 'architecture/scaling', 'architecture/llm-serving'],
  },
  {
    id: 'deployment',
    title: 'Deployment',
    pages: ['deployment/containers', 'deployment/kubernetes', 'deployment/cicd', 'deployment/edge-and-multi-tenant'],
  },
  { id: 'observability', title: 'Observability', pages: ['observability/metrics', 'observability/logs-traces-alerts'] },
  { id: 'benchmarks', title: 'Benchmarks', pages: ['benchmarks/overview', 'benchmarks/metrics', 'benchmarks/running'] },
  {
    id: 'projects',
    title: 'Projects',
    pages: [
      'projects/image-classification-api',
      'projects/streaming-chatbot',
      'projects/rag-document-qa',
      'projects/batch-video-analysis',
      'projects/multi-model-ensemble',
      'projects/edge-inference-gateway',
      'projects/cost-optimised-setup',
    ],
  },
  { id: 'reference', title: 'Reference', pages: ['reference/glossary', 'reference/taxonomy'] },
];

/** Every page id in reading order. */
export const GUIDE_PAGE_IDS: readonly string[] = GUIDE_TOC.flatMap((s) => s.pages);

export const GUIDE_HOME = 'index';

/** Splits `servers/triton#ports` into its page id and anchor. */
export function splitTopic(topic: string): { page: string; anchor?: string } {
  const i = topic.indexOf('#');
  if (i < 0) return { page: topic };
  const anchor = topic.slice(i + 1);
  return anchor ? { page: topic.slice(0, i), anchor } : { page: topic.slice(0, i) };
}

export function isGuidePage(id: string): boolean {
  return GUIDE_PAGE_IDS.includes(id);
}

/** The page before and after `id` in reading order (for "previous / next" links). */
export function neighbours(id: string): { prev?: string; next?: string } {
  const i = GUIDE_PAGE_IDS.indexOf(id);
  if (i < 0) return {};
  return { prev: GUIDE_PAGE_IDS[i - 1], next: GUIDE_PAGE_IDS[i + 1] };
}
