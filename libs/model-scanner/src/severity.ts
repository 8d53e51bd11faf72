import type { Severity } from '@mlsecops/contracts';
import type { ScanReport } from './scan-result';

/**
 * Severities from most to least severe: the contracts' `SEVERITIES`, repeated here (a spec keeps the two
 * equal) so the scanner and its CLI command start without loading the contracts' zod schemas, which cost
 * more than scanning a small model.
 */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const RANK: Readonly<Record<Severity, number>> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };

/** True when `severity` is `threshold` or worse. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Files that fail a run: inconclusive ones always, others with a finding at or above `failOn`. */
export function failingFiles(report: ScanReport, failOn: Severity): number {
  return report.results.filter(
    (r) => r.verdict === 'inconclusive' || r.findings.some((f) => severityAtLeast(f.severity, failOn)),
  ).length;
}
