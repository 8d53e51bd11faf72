import { access } from 'node:fs/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import { SEVERITIES, severityRank } from '@mlsecops/contracts';
import type { Severity } from '@mlsecops/contracts';
import { formatSarifReport, formatTextReport, scanInParallel } from '@mlsecops/model-scanner';
import type { ScanReport } from '@mlsecops/model-scanner';
import { CliExit, EXIT } from '../cli-exit';
import { emit, note } from '../output';

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn: Exclude<Severity, 'info'>;
  jobs?: string;
}

/** Exit 1 when a file is inconclusive or has a finding at or above the threshold. */
export function failingFiles(report: ScanReport, failOn: Severity): number {
  return report.results.filter(
    (r) => r.verdict === 'inconclusive' || r.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)),
  ).length;
}

/** `mlsecops scan PATH... [--format text|json|sarif] [--output FILE] [--fail-on critical|high|medium|low]`. */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('Scan model files and directories without loading them; exit 0 all safe, 1 unsafe/inconclusive, 2 usage or I/O error')
    .argument('<paths...>', 'model files or directories (scanned recursively)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'lowest finding severity that fails the run (inconclusive always fails)')
        .choices(SEVERITIES.filter((s) => s !== 'info'))
        .default('medium'),
    )
    .option('--jobs <n>', 'worker threads (default: CPUs, at most 8)')
    .action(async (paths: string[], flags: ScanFlags) => {
      const workers = flags.jobs === undefined ? undefined : Number(flags.jobs);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new CliExit(EXIT.usage, '--jobs must be a positive integer');
      for (const p of paths) {
        try {
          await access(p);
        } catch {
          throw new CliExit(EXIT.usage, `cannot read ${p}`);
        }
      }
      const report = await scanInParallel(paths, { workers });
      const body =
        flags.format === 'json'
          ? JSON.stringify(report, null, 2)
          : flags.format === 'sarif'
            ? JSON.stringify(formatSarifReport(report), null, 2)
            : formatTextReport(report);
      try {
        await emit(body, flags.output);
      } catch (e: unknown) {
        throw new CliExit(EXIT.usage, `cannot write ${flags.output ?? 'stdout'}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const failing = failingFiles(report, flags.failOn);
      if (flags.output && flags.format !== 'text') note(formatTextReport(report).split('\n').pop() ?? '');
      if (failing > 0) throw new CliExit(EXIT.failed, `${failing} of ${report.summary.scanned} files failed the scan`);
    });
}
