/**
 * `inference-lab serve`: runs the embedded inference server standalone.
 * Prints exactly one JSON line on stdout when every personality listens:
 *   {"event":"listening","endpoints":{"vllm":"http://127.0.0.1:18000",…}}
 * and stops cleanly on SIGINT/SIGTERM (exit 0). Exit 2: bad arguments or
 * config; exit 1: could not start (e.g. a port in use).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, type EmbeddedConfigInput } from '../core/embedded/config';
import { EmbeddedServer } from '../core/embedded/server';
import { consoleLogger } from '../core/util/logger';
import type { CliCommand } from './main';

function parse(argv: string[]): { config?: string; host?: string; portBase?: number } {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, host: { type: 'string' }, 'port-base': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  let portBase: number | undefined;
  if (values['port-base'] !== undefined) {
    portBase = Number(values['port-base']);
    if (!/^\d+$/.test(values['port-base']) || portBase > 65000)
      throw new ConfigError(`--port-base must be an integer from 0 to 65000 (got "${values['port-base']}")`);
  }
  return { config: values.config, host: values.host, portBase };
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

async function run(argv: string[]): Promise<number> {
  let server: EmbeddedServer;
  try {
    const args = parse(argv);
    const config: EmbeddedConfigInput = args.config ? await loadConfigFile(args.config) : {};
    if (args.host !== undefined) config.host = args.host;
    if (args.portBase !== undefined) config.portBase = args.portBase;
    server = new EmbeddedServer(config, { logger: consoleLogger('warn') });
  } catch (e) {
    console.error(`inference-lab serve: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const stopped = waitForSignal();
  try {
    const endpoints = await server.start();
    process.stdout.write(`${JSON.stringify({ event: 'listening', endpoints })}\n`);
  } catch (e) {
    console.error(`inference-lab serve: cannot start: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  await stopped;
  await server.stop();
  return 0;
}

export const serveCommand: CliCommand = {
  summary:
    'Run the embedded inference server (simulated models, real protocols: vLLM, Triton, TGI, Ollama, TorchServe, TF Serving, TEI, Ray Serve).',
  usage:
    'inference-lab serve [--config FILE] [--host H] [--port-base N]\n\n  --config FILE    JSON or YAML config (personalities, ports, models, latency, faults)\n  --host H         address to bind (default 127.0.0.1)\n  --port-base N    first port; each personality listens on N + its offset (default 18000; 0 = free ports)',
  run,
};
