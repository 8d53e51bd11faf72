import type { ColumnSpec, DatasetFormat, DatasetQuality, Verdict } from '@mlsecops/contracts';
import { severityRank } from '@mlsecops/contracts';
import { PiiVisitor } from '../pii/pii-visitor';
import type { PiiScanOptions } from '../pii/pii-visitor';
import { LabelCorrelationVisitor, correlationShiftFindings } from '../poisoning/label-correlation';
import { LabelVisitor } from '../poisoning/label-visitor';
import type { LabelCheckOptions } from '../poisoning/label-visitor';
import type { DatasetProfile } from '../profile/dataset-profile.schema';
import type { DataFinding } from './data-finding';
import { checkTabularDataset } from './dataset-scan';
import type { RowVisitor } from './dataset-scan';

export const FINDING_KINDS = [
  'schema',
  'quality',
  'duplicate',
  'pii',
  'label_conflict',
  'label_suspect',
  'class_balance',
  'label_correlation',
  'integrity',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The finding kind for one of our codes. */
export function findingKind(code: string): FindingKind {
  if (code.startsWith('schema.')) return 'schema';
  if (code === 'quality.duplicate-rows') return 'duplicate';
  if (code.startsWith('pii.')) return 'pii';
  if (code === 'poison.label-conflict') return 'label_conflict';
  if (code.startsWith('poison.label-suspect')) return 'label_suspect';
  if (code === 'poison.class-balance') return 'class_balance';
  if (code === 'poison.correlation-shift') return 'label_correlation';
  if (code.startsWith('integrity.')) return 'integrity';
  return 'quality';
}

export interface CheckDataOptions {
  format: DatasetFormat;
  columns?: ColumnSpec[];
  profile?: DatasetProfile;
  /** Label column: enables conflicting-label, kNN-suspect and class-balance checks. */
  label?: string;
  labelOptions?: Omit<LabelCheckOptions, 'label' | 'reference'>;
  pii?: PiiScanOptions | false;
  signal?: AbortSignal;
}

export interface CheckDataResult {
  verdict: Verdict;
  findings: DataFinding[];
  quality: DatasetQuality;
  profile: DatasetProfile;
}

/** Fails on any finding of medium severity or worse; low and info findings are reported only. */
export const FAIL_AT = 'medium';

/** Every data check in one streaming pass: schema/profile validation, quality, PII, poisoning hints. */
export async function checkData(path: string, options: CheckDataOptions): Promise<CheckDataResult> {
  const visitors: RowVisitor[] = [];
  if (options.pii !== false) visitors.push(new PiiVisitor(options.pii ?? {}));
  if (options.label !== undefined)
    visitors.push(new LabelVisitor({ ...options.labelOptions, label: options.label, reference: options.profile }));
  const refCorrelation = options.profile?.labelCorrelation;
  const correlation =
    options.label !== undefined && refCorrelation?.label === options.label
      ? new LabelCorrelationVisitor(options.label)
      : undefined;
  if (correlation) visitors.push(correlation);
  const r = await checkTabularDataset(path, {
    format: options.format,
    columns: options.columns,
    profile: options.profile,
    visitors,
    signal: options.signal,
  });
  if (correlation && refCorrelation)
    r.findings.push(...correlationShiftFindings(refCorrelation.label, refCorrelation.features, correlation.result()));
  const fail = r.findings.some((f) => severityRank(f.severity) >= severityRank(FAIL_AT));
  return { verdict: fail ? 'fail' : 'pass', findings: r.findings, quality: r.quality, profile: r.profile };
}
