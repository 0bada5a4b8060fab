/**
 * Where the Docker engine is: the explicit setting first, then DOCKER_HOST
 * (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the docker CLI reads them),
 * then the default socket. Supports what docker-modem supports: unix
 * sockets, Windows named pipes, TCP with or without TLS, and SSH.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ContainerError } from '../errors';

export interface DockerConnectionSetting {
  /** `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`, `tcp://host:2376`, `ssh://user@host`. Empty = automatic. */
  host?: string;
  /** Folder with ca.pem, cert.pem and key.pem for TLS (like DOCKER_CERT_PATH). */
  certPath?: string;
  /** Use TLS on TCP (like DOCKER_TLS_VERIFY=1). */
  tlsVerify?: boolean;
}

/** The subset of dockerode's constructor options we produce. */
export interface ModemOptions {
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https' | 'ssh';
  username?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  sshOptions?: { agent?: string };
}

export interface ResolvedConnection {
  options: ModemOptions;
  /** Where we connect, for messages (never holds credentials). */
  endpoint: string;
  source: 'setting' | 'DOCKER_HOST' | 'default';
  /** Published ports are reachable on this machine's loopback. */
  isLocal: boolean;
  /** Host name to reach published ports on. */
  advertisedHost: string;
}

export interface ConnectionEnv {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
  exists: (path: string) => boolean;
  readFile: (path: string) => Buffer;
}

const defaultEnv = (): ConnectionEnv => ({
  env: process.env,
  platform: process.platform,
  home: homedir(),
  exists: existsSync,
  readFile: (p) => readFileSync(p),
});

const loopback = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function badHost(host: string): ContainerError {
  return new ContainerError(
    'engine-unavailable',
    `The Docker host "${host}" is not valid.`,
    'Use unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host.',
  );
}

function socket(path: string, source: ResolvedConnection['source'], scheme: string): ResolvedConnection {
  return {
    options: { socketPath: path },
    endpoint: `${scheme}://${path}`,
    source,
    isLocal: true,
    advertisedHost: '127.0.0.1',
  };
}

function defaultSocket(e: ConnectionEnv): ResolvedConnection {
  if (e.platform === 'win32') return socket('//./pipe/docker_engine', 'default', 'npipe');
  // Docker Desktop (macOS, Linux) puts a per-user socket here and may not create /var/run/docker.sock.
  const user = join(e.home, '.docker', 'run', 'docker.sock');
  return socket(e.exists(user) ? user : '/var/run/docker.sock', 'default', 'unix');
}

function network(
  raw: string,
  tls: boolean,
  certPath: string | undefined,
  source: ResolvedConnection['source'],
  e: ConnectionEnv,
): ResolvedConnection {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `tcp://${raw}`);
  } catch {
    throw badHost(raw);
  }
  if (!url.hostname) throw badHost(raw);
  const isLocal = loopback.has(url.hostname);
  if (url.protocol === 'ssh:') {
    const options: ModemOptions = {
      host: url.hostname,
      port: Number(url.port || 22),
      protocol: 'ssh',
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: e.env.SSH_AUTH_SOCK },
    };
    return {
      options,
      endpoint: `ssh://${url.username ? `${url.username}@` : ''}${url.host}`,
      source,
      isLocal,
      advertisedHost: url.hostname,
    };
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol)) throw badHost(raw);
  const useTls = tls || url.protocol === 'https:' || url.port === '2376';
  const options: ModemOptions = {
    host: url.hostname,
    port: Number(url.port || (useTls ? 2376 : 2375)),
    protocol: useTls ? 'https' : 'http',
  };
  if (certPath) {
    try {
      options.ca = e.readFile(join(certPath, 'ca.pem'));
      options.cert = e.readFile(join(certPath, 'cert.pem'));
      options.key = e.readFile(join(certPath, 'key.pem'));
    } catch {
      throw new ContainerError(
        'engine-unavailable',
        `Cannot read the TLS files (ca.pem, cert.pem, key.pem) in ${certPath}.`,
        'Check the certificate folder setting or DOCKER_CERT_PATH.',
      );
    }
  }
  return {
    options,
    endpoint: `${useTls ? 'https' : 'tcp'}://${url.host}`,
    source,
    isLocal,
    advertisedHost: isLocal ? '127.0.0.1' : url.hostname,
  };
}

function fromHost(
  host: string,
  tls: boolean,
  certPath: string | undefined,
  source: ResolvedConnection['source'],
  e: ConnectionEnv,
): ResolvedConnection {
  if (host.startsWith('unix://')) return host.length > 7 ? socket(host.slice(7), source, 'unix') : defaultSocket(e);
  if (host.startsWith('npipe://')) return socket(host.slice(8) || '//./pipe/docker_engine', source, 'npipe');
  return network(host, tls, certPath, source, e);
}

export function resolveConnection(
  setting: DockerConnectionSetting = {},
  e: ConnectionEnv = defaultEnv(),
): ResolvedConnection {
  const host = setting.host?.trim();
  if (host) return fromHost(host, setting.tlsVerify ?? false, setting.certPath, 'setting', e);
  const envHost = e.env.DOCKER_HOST?.trim();
  if (envHost)
    return fromHost(envHost, e.env.DOCKER_TLS_VERIFY === '1', e.env.DOCKER_CERT_PATH || undefined, 'DOCKER_HOST', e);
  return defaultSocket(e);
}
