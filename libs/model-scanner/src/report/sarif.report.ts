import type { Severity } from '@mlsecops/contracts';
import { RULES } from '../rules';
import type { RuleDef } from '../rules';
import type { ScanReport } from '../scan-result';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** A relative or absolute path as a SARIF artifact URI (uri-reference): segments percent-encoded. */
function toUri(path: string): string {
  const posix = path.replace(/\\/g, '/');
  const encoded = posix.split('/').map(encodeURIComponent).join('/');
  return posix.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * SARIF 2.1.0 log: one run, the rule catalogue as the driver's rules (with ATLAS/OWASP ids as tags and a
 * `security-severity` so code-scanning UIs rank them), one result per finding; the verdict of each file
 * travels in the result properties.
 */
export function formatSarifReport(report: ScanReport, toolVersion = '0.1.0'): Record<string, unknown> {
  const ids = Object.keys(RULES);
  const rules = ids.map((id) => {
    const def: RuleDef = (RULES as Record<string, RuleDef>)[id] as RuleDef;
    return {
      id,
      name: id.replace(/[.-](\w)/g, (_m, c: string) => c.toUpperCase()),
      shortDescription: { text: def.title },
      defaultConfiguration: { level: LEVEL[def.severity] },
      properties: {
        tags: ['security', ...def.atlas, ...def.owasp],
        'security-severity': SECURITY_SEVERITY[def.severity],
      },
    };
  });
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: Math.max(0, ids.indexOf(f.ruleId)),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: toUri(r.path) } },
          logicalLocations: [{ fullyQualifiedName: f.location, kind: 'member' }],
        },
      ],
      properties: { severity: f.severity, verdict: r.verdict, format: r.format, atlas: f.atlas, owasp: f.owasp },
    })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mlsecops-model-scanner', version: toolVersion, rules } },
        results,
        properties: { summary: report.summary },
      },
    ],
  };
}
