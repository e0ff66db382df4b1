// `hindsight` — the operations CLI (bundled to dist/cli.js, `npx hindsight …` after `npm run build`).
// Exit codes: 0 done, 1 failed (message on stderr), 2 bad arguments (one usage line).
import { StoreError } from '@hindsight/store';
import { parseCommand, USAGE, UsageError } from './cli/args.js';
import { runDeleteUser, runExport, runImport, runPurge, type CliEnv } from './cli/commands.js';

async function main(argv: string[]): Promise<number> {
  const ctx: CliEnv = { env: process.env, log: (line) => process.stderr.write(`${line}\n`) };
  try {
    const c = parseCommand(argv);
    switch (c.cmd) {
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'start':
        await import('./main.js'); // runs the server; the process lives until SIGINT/SIGTERM
        return -1;
      case 'export':
        await runExport(ctx, c);
        return 0;
      case 'import':
        await runImport(ctx, c);
        return 0;
      case 'purge':
        await runPurge(ctx, c);
        return 0;
      case 'delete-user':
        await runDeleteUser(ctx, c);
        return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`hindsight: ${e.message} (see hindsight --help)\n`);
      return 2;
    }
    const code = e instanceof StoreError ? ` [${e.code}]` : '';
    process.stderr.write(`hindsight: ${e instanceof Error ? e.message : String(e)}${code}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exitCode = code;
});
