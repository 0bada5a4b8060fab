/**
 * Sets up and starts one real server through the registry (the same setup, start, readiness and stop as the
 * real-servers tier), for tests outside the tier (the workbench journey 61):
 *
 *   node --import tsx test/real/serve.ts <name> [--port N]
 *
 * Prints one JSON line when the server is ready ({"name","url","port","grpcAddress"?,"metricsUrl"?}) or
 * {"error"} when it could not be set up or started (exit 1), and keeps the server until SIGTERM/SIGINT, then
 * stops it as the tier does (its process group and session).
 */
import { realServers, setupServer, startServer } from './registry';

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const server = realServers.find((s) => s.name === name);
  if (!server) throw new Error(`usage: serve.ts <${realServers.map((s) => s.name).join('|')}> [--port N]`);
  const at = rest[0] === '--port' ? Number(rest[1]) : undefined;
  const setup = await setupServer(server);
  if (!setup.ok) return fail(setup.error.message);
  const started = await startServer(server, at);
  if (!started.ok) return fail(started.error.message);
  const r = started.running;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void r.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const side = (offset?: number) => (offset === undefined ? undefined : `127.0.0.1:${r.port + offset}`);
  const metrics = side(server.metricsOffset);
  console.log(
    JSON.stringify({
      name,
      url: r.url,
      port: r.port,
      grpcAddress: side(server.grpcOffset),
      metricsUrl: metrics && `http://${metrics}/metrics`,
    }),
  );
}

function fail(message: string) {
  console.log(JSON.stringify({ error: message }));
  process.exit(1);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
