import { join } from 'node:path';
import { generatedFixtures, removeGeneratedFixtures } from './fixtures.test-helpers';
import { scanFile } from './scanner';

const { dir, manifest } = generatedFixtures();
const entries = Object.entries(manifest);

afterAll(removeGeneratedFixtures);

describe('generated corpus', () => {
  it('has benign, malicious and malformed fixtures', () => {
    expect(entries.filter(([, e]) => e.verdict === 'safe').length).toBeGreaterThanOrEqual(15);
    expect(entries.filter(([, e]) => e.verdict === 'unsafe').length).toBeGreaterThanOrEqual(50);
    expect(entries.filter(([, e]) => e.verdict === 'inconclusive').length).toBeGreaterThanOrEqual(8);
  });

  it.each(entries)('%s', async (name, expected) => {
    const result = await scanFile(join(dir, name), name);
    const rules = result.findings.map((f) => f.ruleId);
    expect({ name, verdict: result.verdict }).toEqual({ name, verdict: expected.verdict });
    for (const rule of expected.rules) expect(rules).toContain(rule);
    if (expected.format !== null) expect(result.format).toBe(expected.format);
    if (expected.verdict === 'safe') {
      // Zero false positives: not even low-severity noise on the benign set.
      expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
    for (const f of result.findings) {
      expect(f.atlas.length).toBeGreaterThan(0);
      expect(f.owasp.length).toBeGreaterThan(0);
      expect(f.location.length).toBeGreaterThan(0);
    }
  });
});
