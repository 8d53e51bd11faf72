import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { columnSpecSchema } from '@mlsecops/contracts';
import type { ColumnSpec } from '@mlsecops/contracts';
import { checkData, findingKind, loadProfile } from '@mlsecops/data-checks';
import type { CheckDataResult, DatasetProfile } from '@mlsecops/data-checks';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';
import { dataFormatOf, positiveInt, withDataErrors } from './profile.command';

interface CheckDataFlags {
  schema?: string;
  profile?: string;
  label?: string;
  k: number;
  format?: string;
  dataFormat?: string;
  pii: boolean;
}

const schemaFileSchema = z.union([z.array(columnSpecSchema), z.object({ columns: z.array(columnSpecSchema) })]);

/** `mlsecops check-data DATA [--schema FILE | --profile FILE] [--label COL]`: validation, quality, PII, poisoning hints. */
export function registerCheckDataCommand(program: Command): void {
  program
    .command('check-data')
    .description('Validate a dataset (schema or profile), and look for quality problems, PII and poisoning hints')
    .argument('<data>', 'CSV, JSON Lines or Parquet file')
    .option('--schema <file>', 'JSON column schema: [{"name","type","nullable"}] or {"columns":[...]}')
    .option('--profile <file>', 'reference profile from `mlsecops profile`')
    .option('--label <column>', 'label column: conflicting labels, kNN label suspects, class balance')
    .option('--k <n>', 'neighbours for the label-suspect check', positiveInt, 10)
    .option('--no-pii', 'skip the PII scan')
    .option('--data-format <format>', 'csv | jsonl | parquet (default: from the extension)')
    .option('--format <format>', 'text (default) or json')
    .action(async (data: string, flags: CheckDataFlags) =>
      withDataErrors(async () => {
        if (flags.schema && flags.profile) throw new CliExit(EXIT.usage, 'use --schema or --profile, not both');
        const json = flags.format === 'json';
        if (flags.format !== undefined && flags.format !== 'json' && flags.format !== 'text')
          throw new CliExit(EXIT.usage, `--format must be text or json`);
        const format = dataFormatOf(data, flags.dataFormat);
        if (format === 'profile') throw new CliExit(EXIT.usage, `${data}: expected a data file, not a profile`);
        const columns = flags.schema ? await readSchema(flags.schema) : undefined;
        const profile: DatasetProfile | undefined = flags.profile ? await loadProfile(flags.profile) : undefined;
        const result = await checkData(data, {
          format,
          columns,
          profile,
          label: flags.label,
          labelOptions: { k: flags.k },
          pii: flags.pii ? {} : false,
        });
        await emit(json ? JSON.stringify(toJson(result)) : toText(result));
        if (result.verdict === 'fail') throw new CliExit(EXIT.failed, '');
      }),
    );
}

async function readSchema(path: string): Promise<ColumnSpec[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    throw new CliExit(EXIT.usage, `--schema ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = schemaFileSchema.safeParse(raw);
  if (!r.success) throw new CliExit(EXIT.usage, `--schema ${path}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return Array.isArray(r.data) ? r.data : r.data.columns;
}

/** The issue's shape: {verdict, findings: [{kind, severity, column, rows, entity, score, message}]}, plus code and rowCount. */
function toJson(r: CheckDataResult): object {
  return {
    verdict: r.verdict,
    findings: r.findings.map((f) => ({
      kind: findingKind(f.code),
      code: f.code,
      severity: f.severity,
      column: f.column,
      rows: f.rows,
      rowCount: f.rowCount,
      entity: f.entity,
      score: f.score,
      message: f.message,
    })),
    quality: r.quality,
  };
}

function toText(r: CheckDataResult): string {
  const lines = r.findings.map((f) => {
    const rows =
      f.rows && f.rows.length > 0
        ? ` rows ${f.rows.join(',')}${(f.rowCount ?? 0) > f.rows.length ? ` (+${(f.rowCount ?? 0) - f.rows.length} more)` : ''}`
        : '';
    return `${f.severity.toUpperCase().padEnd(8)} ${findingKind(f.code)}${f.column ? ` [${f.column}]` : ''}: ${f.message}${rows}`;
  });
  lines.push(`${r.quality.rows} rows, ${r.quality.duplicateRows} duplicate(s): ${r.verdict.toUpperCase()}`);
  return lines.join('\n');
}
