/**
 * `inference-lab` CLI: the same core the extension uses, headless (for CI).
 * Each subcommand documents its exit codes (bench: src/cli/exitCodes.ts and
 * docs/cli.md); 0 is success, 1 an unexpected failure and 2
 * unusable arguments everywhere.
 */
import { closeHttpPools } from '../core/http/client';
import { version } from './version';

export interface CliCommand {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<CliCommand>> = {
  bench: async () => (await import('./bench.js')).benchCommand,
  import: async () => (await import('./import.js')).importCommand,
  merge: async () => (await import('./merge.js')).mergeCommand,
  probe: async () => (await import('./probe.js')).probeCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
};

function help(): string {
  const lines = [`inference-lab ${version} — inference servers from the command line`, '', 'Commands:'];
  for (const name of Object.keys(commands).sort()) lines.push(`  ${name}`);
  lines.push('  version', '', 'Run `inference-lab <command> --help` for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === 'version' || name === '--version') {
    console.log(version);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`inference-lab: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${cmd.summary}\n\nusage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } finally {
    // Closing waits for requests still open (a silent server's, say); the process exits right after, so it waits at most half a second.
    await Promise.race([closeHttpPools(), new Promise((r) => setTimeout(r, 500).unref())]);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`inference-lab: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
