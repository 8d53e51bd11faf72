import { access } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Severity } from '@mlsecops/contracts';
import {
  SEVERITY_ORDER,
  failingFiles,
  formatSarifReport,
  formatTextReport,
  scanInParallel,
} from '@mlsecops/model-scanner';
import { CliExit, EXIT } from '../cli-exit';
import { emit, note } from '../output';

// V8's interrupt budget for the scan (default 67,584 on Node 20): the optimizing compiler then works on
// code that runs long (pickles), not on every parser a mixed directory touches once.
const TIER_UP_BUDGET = 1_000_000;

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn: Exclude<Severity, 'info'>;
  jobs?: string;
}

/** `mlsecops scan PATH... [--format text|json|sarif] [--output FILE] [--fail-on critical|high|medium|low]`. */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'Scan model files and directories without loading them; exit 1 when a file is inconclusive or has a finding at or above --fail-on (default medium), 0 otherwise, 2 usage or I/O error',
    )
    .argument('<paths...>', 'model files or directories (scanned recursively)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'lowest finding severity that fails the run (inconclusive always fails)')
        .choices(SEVERITY_ORDER.filter((s) => s !== 'info'))
        .default('medium'),
    )
    .option('--jobs <n>', 'threads scanning at once (default: CPUs, at most 8; helpers start only on long runs)')
    .action(async (paths: string[], flags: ScanFlags) => {
      // Tuned for a short, allocation-heavy process: parallel scavenges wait for helper threads, which
      // on a busy machine costs several times the scavenge. The scan also raises V8's tier-up budget
      // (TIER_UP_BUDGET, -15% CPU on the benchmark corpus, none on one pickle), once its helpers booted.
      setFlagsFromString('--no-parallel-scavenge');
      const workers = flags.jobs === undefined ? undefined : Number(flags.jobs);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1))
        throw new CliExit(EXIT.usage, '--jobs must be a positive integer');
      for (const p of paths) {
        try {
          await access(p);
        } catch {
          throw new CliExit(EXIT.usage, `cannot read ${p}`);
        }
      }
      const report = await scanInParallel(paths, { workers, tierUpBudget: TIER_UP_BUDGET });
      const body =
        flags.format === 'json'
          ? JSON.stringify(report, null, 2)
          : flags.format === 'sarif'
            ? JSON.stringify(formatSarifReport(report), null, 2)
            : formatTextReport(report);
      try {
        await emit(body, flags.output);
      } catch (e: unknown) {
        throw new CliExit(
          EXIT.usage,
          `cannot write ${flags.output ?? 'stdout'}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const failing = failingFiles(report, flags.failOn);
      if (flags.output && flags.format !== 'text') note(formatTextReport(report).split('\n').pop() ?? '');
      if (failing > 0) throw new CliExit(EXIT.failed, `${failing} of ${report.summary.scanned} files failed the scan`);
    });
}
