import { SEVERITIES, severityRank } from '@mlsecops/contracts';
import type { ScanReport } from './scan-result';
import { SEVERITY_ORDER, failingFiles, severityAtLeast } from './severity';

describe('severity', () => {
  it('orders severities exactly like the contracts', () => {
    expect(SEVERITY_ORDER).toEqual(SEVERITIES);
    for (const a of SEVERITIES)
      for (const b of SEVERITIES) expect(severityAtLeast(a, b)).toBe(severityRank(a) >= severityRank(b));
  });

  it('fails inconclusive files whatever the threshold, others by their worst finding', () => {
    const f = (severity: 'low' | 'high') => ({
      ruleId: 'x',
      severity,
      message: '',
      location: '',
      atlas: [],
      owasp: [],
    });
    const report: ScanReport = {
      results: [
        { path: 'a', format: 'pickle', verdict: 'inconclusive', findings: [] },
        { path: 'b', format: 'pickle', verdict: 'unsafe', findings: [f('high')] },
        { path: 'c', format: 'pickle', verdict: 'safe', findings: [f('low')] },
      ],
      summary: { scanned: 3, safe: 1, unsafe: 1, inconclusive: 1 },
    };
    expect(failingFiles(report, 'critical')).toBe(1);
    expect(failingFiles(report, 'high')).toBe(2);
    expect(failingFiles(report, 'low')).toBe(3);
  });
});
