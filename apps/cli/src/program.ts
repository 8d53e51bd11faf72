import { Command, CommanderError } from 'commander';
import { CliExit, EXIT } from './cli-exit';
import { COMMANDS } from './commands';

/**
 * Builds the `mlsecops` program; commands throw CliExit, commander's own errors are usage errors. When
 * the arguments name a command, only that command is loaded; otherwise (help, typos) all of them are.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('mlsecops')
    .description('MLSecOps platform: emit lifecycle events, check data, scan and sign models.')
    .showHelpAfterError()
    .exitOverride();
  const named = COMMANDS.find((c) => c.name === argv[0]);
  for (const c of named ? [named] : COMMANDS) (await c.load())(program);
  return program;
}

/** Runs the CLI and returns the process exit code (never throws). */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e: unknown) {
    if (e instanceof CliExit) {
      if (e.message) process.stderr.write(`mlsecops: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`mlsecops: ${message}\n`);
    return EXIT.usage;
  }
}
