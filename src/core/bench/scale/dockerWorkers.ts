/**
 * Workers as containers of the CLI image on one or more Docker engines (the
 * local one, or remote Docker contexts), through dockerode. Each container
 * runs `bench --shard i/N --shard-stream --clock-stdin`; the coordinator is
 * attached to its stdio: records and messages arrive on stdout, clock
 * answers (and the API key, never in the container's definition) go to
 * stdin. The containers use the host's network by default, so a URL that
 * works on the Docker host works in the worker. Every container is removed
 * at the end, also after a failure or a cancel.
 */
import { PassThrough } from 'node:stream';
import readline from 'node:readline';
import type Dockerode from 'dockerode';
import { resolveConnection } from '../../docker/engine/connection';
import { contextSetting } from '../../docker/engine/contexts';
import { newDockerode } from '../../docker/engine/dockerodeService';
import type { WorkerControl, WorkerLauncher } from './coordinator';
import { classifyLine, encodeReply, specJson } from './protocol';
import { formatShard } from './shard';

export interface DockerWorkersOptions {
  /** One Docker context per worker ("default" = the local engine); repeat a context for more workers on it. */
  hosts: string[];
  /** The CLI image (see the Dockerfile); default inference-lab/cli:latest. */
  image?: string;
  apiKey?: string;
  /** Network mode of the worker containers (default "host"). */
  network?: string;
  /** Extra labels on each container (the tests mark theirs). */
  labels?: Record<string, string>;
}

export const workerLabel = 'inference-lab.bench-worker';

export function dockerLauncher(o: DockerWorkersOptions): WorkerLauncher {
  const engines = new Map<string, Dockerode>();
  const engine = (name: string) => {
    let d = engines.get(name);
    if (!d) engines.set(name, (d = newDockerode(resolveConnection(contextSetting(name)))));
    return d;
  };
  const created: Dockerode.Container[] = [];
  const image = o.image ?? 'inference-lab/cli:latest';
  return {
    kind: 'Docker',
    writesRecords: false,
    startDelayMs: (n) => 4000 + 500 * n,
    async launch(job, _recordsPath, events): Promise<WorkerControl> {
      const host = o.hosts[job.shard.index % o.hosts.length];
      const docker = engine(host);
      try {
        await docker.getImage(image).inspect();
      } catch {
        throw new Error(
          `The image ${image} is not on the Docker engine "${host}": build it there with \`npm run image:cli -- --tag ${image}\` (no registry needed) or load it.`,
        );
      }
      // The key travels on stdin (hello), not as an environment variable of the container.
      const spec = { ...job.spec, apiKeyEnv: undefined };
      const cmd = [
        'bench',
        '--spec-json',
        specJson(spec),
        '--shard',
        formatShard(job.shard),
        '--shard-stream',
        '--clock-stdin',
        '--quiet',
      ];
      if (job.startAtWallMs !== undefined) cmd.push('--start-at', String(job.startAtWallMs));
      if (job.progressIntervalMs !== undefined) cmd.push('--progress-interval', String(job.progressIntervalMs));
      const container = await docker.createContainer({
        Image: image,
        Cmd: cmd,
        OpenStdin: true,
        StdinOnce: false,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Labels: { [workerLabel]: formatShard(job.shard), ...o.labels },
        HostConfig: { NetworkMode: o.network ?? 'host' },
      });
      created.push(container);
      const stream = (await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      })) as NodeJS.ReadWriteStream;
      const out = new PassThrough();
      const err = new PassThrough();
      docker.modem.demuxStream(stream, out, err);
      stream.on('end', () => {
        out.end();
        err.end();
      });
      const reply = (s: string) => {
        if (stream.writable) stream.write(s);
      };
      readline.createInterface({ input: out }).on('line', (line) => {
        const c = classifyLine(line);
        if (c.kind === 'record') events.record(c.line);
        else if (c.kind === 'message') {
          const r = events.message(c.message);
          if (r) reply(encodeReply(r));
        } else if (line.trim()) events.log(line);
      });
      readline.createInterface({ input: err }).on('line', (line) => line.trim() && events.log(line));
      const outDone = new Promise<void>((resolve) => out.once('end', resolve));
      await container.start();
      reply(encodeReply({ type: 'hello', apiKey: o.apiKey }));
      const finished = (async () => {
        const status = (await container.wait()) as { StatusCode?: number };
        await Promise.race([outDone, new Promise((r) => setTimeout(r, 5000))]);
        if (status.StatusCode) events.log(`exited with status ${status.StatusCode}`);
      })();
      return {
        where: `docker ${host}: ${container.id.slice(0, 12)}`,
        finished,
        send: (m) => reply(encodeReply(m)),
        cancel: () => {
          reply(encodeReply({ type: 'cancel' }));
          // A worker that cannot read its stdin any more still stops on SIGTERM, keeping what it measured.
          setTimeout(() => void container.kill({ signal: 'SIGTERM' }).catch(() => undefined), 2000).unref();
        },
      };
    },
    async dispose() {
      await Promise.all(created.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
    },
  };
}
