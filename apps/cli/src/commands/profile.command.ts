import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { DatasetFormat } from '@mlsecops/contracts';
import { isMlsecopsError } from '@mlsecops/contracts';
import { DEFAULT_VALUE_CAP, DRIFT_METHODS, checkTabularDataset, detectFormat } from '@mlsecops/data-checks';
import type { DriftMethod } from '@mlsecops/data-checks';
import { CliExit, EXIT } from '../cli-exit';
import { emit, note } from '../output';

interface ProfileFlags {
  output?: string;
  label?: string;
  format?: string;
  maxValues: number;
}

/** `mlsecops profile DATA --output PROFILE.json`: infers a reference profile for validation and drift. */
export function registerProfileCommand(program: Command): void {
  program
    .command('profile')
    .description('Infer a dataset profile (types, null rates, ranges, categories, values for drift)')
    .argument('<data>', 'CSV, JSON Lines or Parquet file')
    .option('-o, --output <file>', 'write the profile here instead of stdout')
    .option('--format <format>', 'csv | jsonl | parquet (default: from the extension)')
    .option(
      '--label <column>',
      "also record each numeric feature's correlation with this label (for check-data --label)",
    )
    .option(
      '--max-values <n>',
      'numeric values kept per column; above it a uniform sample (drift becomes an estimate)',
      positiveInt,
      DEFAULT_VALUE_CAP,
    )
    .action(async (data: string, flags: ProfileFlags) =>
      withDataErrors(async () => {
        const format = dataFormatOf(data, flags.format);
        if (format === 'profile' || detectFormat(data) === 'profile')
          throw new CliExit(EXIT.usage, `${data} is already a profile`);
        const r = await checkTabularDataset(data, { format, valueCap: flags.maxValues, label: flags.label });
        await emit(JSON.stringify(r.profile), flags.output);
        if (flags.output) {
          const sampled = r.profile.columns.filter((c) => c.numeric && !c.numeric.exact).map((c) => c.name);
          note(`profile of ${r.profile.rows} rows x ${r.profile.columns.length} columns -> ${flags.output}`);
          if (sampled.length > 0) note(`columns kept as a ${flags.maxValues}-value sample: ${sampled.join(', ')}`);
        }
      }),
    );
}

// Flag parsers and error mapping shared by the data commands (profile, drift, check-data).

/** Commander parser for positive integers. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function unitNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

export function driftMethod(value: string): DriftMethod {
  const m = DRIFT_METHODS.find((x) => x === value);
  if (!m) throw new InvalidArgumentError(`expected one of ${DRIFT_METHODS.join(', ')}`);
  return m;
}

/** The data format from --format or the file extension. */
export function dataFormatOf(path: string, flag: string | undefined): DatasetFormat | 'profile' {
  if (flag === undefined) return detectFormat(path);
  if (flag === 'csv' || flag === 'jsonl' || flag === 'parquet') return flag;
  throw new CliExit(EXIT.usage, `--format must be csv, jsonl or parquet, got "${flag}"`);
}

/** Our coded errors (missing file, bad input) become usage/I-O exits with their message. */
export async function withDataErrors(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e: unknown) {
    if (isMlsecopsError(e)) throw new CliExit(EXIT.usage, e.message);
    throw e;
  }
}
