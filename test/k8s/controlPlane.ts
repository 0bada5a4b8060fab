/**
 * A real Kubernetes control plane on this machine for the k8s tier: etcd
 * (Debian's etcd-server), kube-apiserver and kube-controller-manager built
 * from source (scripts/k8s/build-control-plane.sh, cached outside the
 * repository). No kubelet: pods are created, scheduled nowhere and stay
 * Pending; the API side (Jobs, pods, their state, deletion, RBAC) is real.
 * Two users by static token: "admin" (system:masters) and "bench", which
 * gets only the Role the docs state for scale-out runs.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { freePort } from '../docker/helpers';

export interface ControlPlane {
  server: string;
  adminKubeconfig: string;
  benchKubeconfig: string;
  namespace: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function kubeconfig(file: string, server: string, user: string, token: string): string {
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: `${user}@local`, context: { cluster: 'local', user, namespace: 'bench' } }],
      'current-context': `${user}@local`,
    }),
  );
  return file;
}

function ready(server: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(
      `${server}/readyz`,
      { rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` }, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** The Role a scale-out run needs in its namespace (README: Kubernetes workers). */
export const benchRules = [
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'delete'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
];

export async function startControlPlane(binDir: string, dir: string): Promise<ControlPlane> {
  fs.mkdirSync(dir, { recursive: true });
  const procs: ChildProcess[] = [];
  let spawnError: Error | undefined;
  const track = (p: ChildProcess, name: string) => {
    p.once('error', (e) => (spawnError ??= new Error(`${name}: ${e.message}`)));
    procs.push(p);
    return p;
  };
  const logOf = (name: string) => fs.openSync(path.join(dir, `${name}.log`), 'a');
  const stop = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill('SIGTERM');
        await Promise.race([new Promise((r) => p.once('exit', r)), sleep(10_000)]);
        if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      }
    }
  };
  try {
    const [etcdPort, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = spawn(
      'etcd',
      [
        '--data-dir',
        path.join(dir, 'etcd'),
        '--listen-client-urls',
        `http://127.0.0.1:${etcdPort}`,
        '--advertise-client-urls',
        `http://127.0.0.1:${etcdPort}`,
        '--listen-peer-urls',
        `http://127.0.0.1:${etcdPeer}`,
        '--initial-advertise-peer-urls',
        `http://127.0.0.1:${etcdPeer}`,
        '--initial-cluster',
        `default=http://127.0.0.1:${etcdPeer}`,
      ],
      { stdio: ['ignore', logOf('etcd'), logOf('etcd')] },
    );
    track(etcd, 'etcd');
    execFileSync('openssl', ['genrsa', '-out', path.join(dir, 'sa.key'), '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['rsa', '-in', path.join(dir, 'sa.key'), '-pubout', '-out', path.join(dir, 'sa.pub')], {
      stdio: 'ignore',
    });
    const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
    const benchToken = `bench-${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(
      path.join(dir, 'tokens.csv'),
      `${adminToken},admin,admin,"system:masters"\n${benchToken},bench,bench\n`,
    );
    const server = `https://127.0.0.1:${apiPort}`;
    const api = spawn(
      path.join(binDir, 'kube-apiserver'),
      [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        `--secure-port=${apiPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--cert-dir=${path.join(dir, 'certs')}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // Loopback only: no endpoint reconciler (it refuses a loopback advertise address; nothing here needs the kubernetes Service).
        '--endpoint-reconciler-type=none',
      ],
      { stdio: ['ignore', logOf('kube-apiserver'), logOf('kube-apiserver')] },
    );
    track(api, 'kube-apiserver');
    const adminKubeconfig = kubeconfig(path.join(dir, 'admin.kubeconfig'), server, 'admin', adminToken);
    const benchKubeconfig = kubeconfig(path.join(dir, 'bench.kubeconfig'), server, 'bench', benchToken);
    const deadline = Date.now() + 180_000;
    while (!(await ready(server, adminToken))) {
      if (spawnError) throw spawnError;
      if (api.exitCode !== null || etcd.exitCode !== null || Date.now() > deadline) {
        const tail = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-15).join('\n');
        throw new Error(
          `the control plane did not come up:\n--- kube-apiserver\n${tail('kube-apiserver.log')}\n--- etcd\n${tail('etcd.log')}`,
        );
      }
      await sleep(1000);
    }
    const cm = spawn(
      path.join(binDir, 'kube-controller-manager'),
      [
        `--kubeconfig=${adminKubeconfig}`,
        `--authentication-kubeconfig=${adminKubeconfig}`,
        `--authorization-kubeconfig=${adminKubeconfig}`,
        '--leader-elect=false',
        '--secure-port=0',
        `--service-account-private-key-file=${path.join(dir, 'sa.key')}`,
        '--controllers=job-controller,serviceaccount-controller,garbage-collector-controller,ttl-after-finished-controller',
      ],
      { stdio: ['ignore', logOf('kube-controller-manager'), logOf('kube-controller-manager')] },
    );
    track(cm, 'kube-controller-manager');
    await sleep(2000);
    if (spawnError) throw spawnError;
    if (cm.exitCode !== null)
      throw new Error(
        `kube-controller-manager exited ${cm.exitCode}: ${fs.readFileSync(path.join(dir, 'kube-controller-manager.log'), 'utf8').split('\n').slice(-15).join('\n')}`,
      );
    return { server, adminKubeconfig, benchKubeconfig, namespace: 'bench', stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
