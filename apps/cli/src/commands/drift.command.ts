import type { Command } from 'commander';
import { compareProfiles, profilesForDrift } from '@mlsecops/data-checks';
import type { ColumnDriftOverride, DriftMethod, DriftReport } from '@mlsecops/data-checks';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';
import { driftMethod, positiveInt, unitNumber, withDataErrors } from './profile.command';

interface DriftFlags {
  reference: string;
  current: string;
  format?: string;
  method?: DriftMethod;
  threshold?: number;
  column?: string[];
  driftShare: number;
  maxValues?: number;
  exact?: boolean;
}

/** `mlsecops drift --reference REF --current CUR`: per-column drift with Evidently's default tests. Exit 1 on dataset drift. */
export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description('Compare current data with a reference (data file or profile) column by column')
    .requiredOption(
      '--reference <path>',
      'reference data (CSV, JSON Lines, Parquet) or a profile from `mlsecops profile`',
    )
    .requiredOption('--current <path>', 'current data or profile')
    .option('--format <format>', 'text (default) or json')
    .option('--method <method>', 'use this method for every column instead of the default rule', driftMethod)
    .option('--threshold <t>', "threshold for --method (default: the method's)", unitNumber)
    .option(
      '--column <spec>',
      'per-column method and threshold, col=method[:threshold], e.g. age=psi:0.2 (repeatable)',
      collect,
      [],
    )
    .option('--drift-share <share>', 'dataset drift when this share of columns drifts', unitNumber, 0.5)
    .option(
      '--max-values <n>',
      "numeric values kept per column of a data file (default: all, exact; against a profile: the profile's cap); bounds memory, makes statistics estimates",
      positiveInt,
    )
    .option('--exact', 'keep every value of the data file even against a profile (memory grows with the rows)')
    .action(async (flags: DriftFlags) =>
      withDataErrors(async () => {
        const json = outputFormat(flags.format);
        if (flags.exact && flags.maxValues !== undefined)
          throw new CliExit(EXIT.usage, '--exact and --max-values exclude each other');
        // A threshold means a p-value for tests and a distance for the others: one number for every
        // column's default method would silently mix the two.
        if (flags.threshold !== undefined && flags.method === undefined) {
          throw new CliExit(EXIT.usage, '--threshold needs --method (per column: --column col=method:threshold)');
        }
        const [ref, cur] = await profilesForDrift(flags.reference, flags.current, {
          valueCap: flags.exact ? Number.POSITIVE_INFINITY : flags.maxValues,
        });
        const report = compareProfiles(ref, cur, {
          method: flags.method,
          threshold: flags.threshold,
          columns: parseColumnOverrides(flags.column ?? []),
          driftShare: flags.driftShare,
        });
        await emit(json ? JSON.stringify(toJson(report)) : toText(report));
        // A reference column missing from the current data is a failed check on its own, drift or not.
        const missing = report.findings.filter((f) => f.code === 'drift.missing-column').map((f) => f.column);
        if (missing.length > 0) {
          throw new CliExit(EXIT.failed, `the current data lacks reference column(s): ${missing.join(', ')}`);
        }
        if (report.datasetDrift) throw new CliExit(EXIT.failed, '');
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function outputFormat(flag: string | undefined): boolean {
  if (flag === undefined || flag === 'text') return false;
  if (flag === 'json') return true;
  throw new CliExit(EXIT.usage, `--format must be text or json, got "${flag}"`);
}

export function parseColumnOverrides(specs: readonly string[]): Record<string, ColumnDriftOverride> {
  const out: Record<string, ColumnDriftOverride> = {};
  for (const spec of specs) {
    const m = /^(.+)=([a-z_]+)(?::([0-9.eE+-]+))?$/.exec(spec);
    if (!m) throw new CliExit(EXIT.usage, `--column expects col=method[:threshold], got "${spec}"`);
    const threshold = m[3] === undefined ? undefined : Number(m[3]);
    if (threshold !== undefined && !Number.isFinite(threshold))
      throw new CliExit(EXIT.usage, `--column ${spec}: bad threshold`);
    let method: DriftMethod;
    try {
      method = driftMethod(m[2] as string);
    } catch (e: unknown) {
      throw new CliExit(EXIT.usage, `--column ${spec}: ${e instanceof Error ? e.message : String(e)}`);
    }
    out[m[1] as string] = { method, threshold };
  }
  return out;
}

/** The JSON shape, plus findings for columns that could not be compared. */
function toJson(r: DriftReport): object {
  return {
    columns: r.columns.map((c) => ({
      column: c.column,
      type: c.type,
      method: c.method,
      statistic: finite(c.statistic),
      pValue: c.pValue,
      threshold: c.threshold,
      drift: c.drift,
    })),
    driftShare: r.driftShare,
    datasetDrift: r.datasetDrift,
    findings: r.findings,
  };
}

/** JSON has no infinity: a chi-square statistic of +inf (unseen category) is written as a string. */
function finite(x: number | null): number | string | null {
  return x === null || Number.isFinite(x) ? x : String(x);
}

function toText(r: DriftReport): string {
  const lines = r.columns.map((c) => {
    const value =
      c.pValue === null ? `${c.method}=${fmt(c.statistic)}` : `${c.method} stat=${fmt(c.statistic)} p=${fmt(c.pValue)}`;
    return `${c.drift ? 'DRIFT' : 'ok   '}  ${c.column} (${c.type}): ${value} threshold ${c.threshold}`;
  });
  for (const f of r.findings) lines.push(`note   ${f.column ?? ''}: ${f.message}`);
  const drifted = r.columns.filter((c) => c.drift).length;
  lines.push(
    `${drifted}/${r.columns.length} columns drifted (share ${fmt(r.driftShare)}): ${r.datasetDrift ? 'DATASET DRIFT' : 'no dataset drift'}`,
  );
  return lines.join('\n');
}

function fmt(x: number | null): string {
  return x === null ? '-' : Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
