import type Dockerode from 'dockerode';
export function stageRootfs(root: string, repo?: string): Promise<string>;
export function buildCliImage(
  docker: Dockerode,
  options?: { tag?: string; labels?: Record<string, string> },
): Promise<string>;
