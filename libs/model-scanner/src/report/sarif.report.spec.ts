import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { generatedFixtures, removeGeneratedFixtures } from '../fixtures.test-helpers';
import { scanPaths } from '../scanner';
import { formatSarifReport } from './sarif.report';
import { formatTextReport } from './text.report';

// The official OASIS schema as shipped inside @microsoft/jest-sarif (never fetched at test time).
const schemaPath = join(
  require.resolve('@microsoft/jest-sarif/package.json'),
  '..',
  'lib/schemas/sarif-2.1.0-rtm.5.json',
);

/**
 * The schema is written in draft-04 but uses no keyword whose meaning changed since (no boolean
 * exclusiveMinimum/Maximum), so Ajv 8 validates it faithfully once the draft-04 `id` is spelled `$id`.
 */
function sarifValidator(allErrors: boolean): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  delete schema['$schema'];
  schema['$id'] = schema['id'];
  delete schema['id'];
  // One pattern in the official schema (`language`) is only valid without the `u` flag Ajv adds.
  const regExp = Object.assign((pattern: string, flags: string) => new RegExp(pattern, flags.replace('u', '')), {
    code: 'RegExp',
  });
  return new Ajv({ strict: false, allErrors, validateFormats: false, code: { regExp } }).compile(schema);
}

afterAll(removeGeneratedFixtures);

describe('SARIF report', () => {
  const { dir } = generatedFixtures();

  it('validates against the SARIF 2.1.0 schema and carries one result per finding', async () => {
    const report = await scanPaths([join(dir, 'malicious'), join(dir, 'benign')]);
    const sarif = formatSarifReport(report);
    const validate = sarifValidator(true);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const runs = sarif['runs'] as Array<{ results: unknown[] }>;
    const findings = report.results.reduce((n, r) => n + r.findings.length, 0);
    expect(runs[0]?.results.length).toBe(findings);
    expect(findings).toBeGreaterThan(50);
  });

  it('rejects a broken log (the validation can fail)', () => {
    const validate = sarifValidator(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });

  it('prints a text report with verdicts and a summary', async () => {
    const report = await scanPaths([join(dir, 'malicious/os_system_p2.pkl'), join(dir, 'benign/model.safetensors')]);
    const text = formatTextReport(report);
    expect(text).toMatch(/^UNSAFE .*os_system_p2\.pkl/m);
    expect(text).toMatch(/^SAFE .*model\.safetensors/m);
    expect(text).toMatch(/2 scanned: 1 safe, 1 unsafe, 0 inconclusive/);
  });
});
