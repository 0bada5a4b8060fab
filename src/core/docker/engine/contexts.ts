/**
 * Docker contexts (`docker context ls`) as connection settings: "default" is
 * the usual engine (DOCKER_HOST or the local socket); any other name is read
 * from the docker CLI's context store, $DOCKER_CONFIG/contexts (default
 * ~/.docker/contexts): meta/<sha256(name)>/meta.json holds the endpoint and
 * tls/<sha256(name)>/docker/ its TLS files, if any.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerConnectionSetting } from './connection';
import { ContainerError } from '../errors';

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/** The connection setting of a Docker context by name ("default": automatic, like the docker CLI). */
export function contextSetting(name: string, configDir = dockerConfigDir()): DockerConnectionSetting {
  if (name === 'default' || name === 'local') return {};
  const id = crypto.createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: ContextMeta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ContextMeta;
  } catch {
    throw new ContainerError(
      'engine-unavailable',
      `There is no Docker context "${name}" (looked for ${metaFile}).`,
      'List the contexts with `docker context ls`, or create one with `docker context create NAME --docker host=…`.',
    );
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host)
    throw new ContainerError(
      'engine-unavailable',
      `The Docker context "${name}" has no Docker endpoint.`,
      'Check it with `docker context inspect`.',
    );
  const tls = path.join(configDir, 'contexts', 'tls', id, 'docker');
  const hasTls = fs.existsSync(path.join(tls, 'ca.pem'));
  return { host, ...(hasTls && { certPath: tls, tlsVerify: !meta.Endpoints?.docker?.SkipTLSVerify }) };
}

/** Names of the Docker contexts in the docker CLI's store, "default" first. */
export function listContexts(configDir = dockerConfigDir()): string[] {
  const metaDir = path.join(configDir, 'contexts', 'meta');
  const names: string[] = [];
  try {
    for (const id of fs.readdirSync(metaDir)) {
      try {
        const meta = JSON.parse(fs.readFileSync(path.join(metaDir, id, 'meta.json'), 'utf8')) as ContextMeta;
        if (meta.Name) names.push(meta.Name);
      } catch {
        // an unreadable entry is left out, as `docker context ls` does
      }
    }
  } catch {
    // no context store: only the default context exists
  }
  return ['default', ...names.sort()];
}
