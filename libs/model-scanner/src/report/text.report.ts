import type { ScanReport } from '../scan-result';

const MARK = { safe: 'SAFE ', unsafe: 'UNSAFE', inconclusive: 'INCONC' } as const;

/** One line per file, findings indented under it, a summary line at the end: readable at a glance. */
export function formatTextReport(report: ScanReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${MARK[r.verdict]}  ${r.path}  [${r.format}]`);
    for (const f of r.findings) {
      lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.message}`);
      lines.push(`             at ${f.location}  (${[...f.atlas, ...f.owasp].join(', ')})`);
    }
  }
  const s = report.summary;
  lines.push(`${s.scanned} scanned: ${s.safe} safe, ${s.unsafe} unsafe, ${s.inconclusive} inconclusive`);
  return lines.join('\n');
}
