import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.test-helpers';

const run = runCliCaptured;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cli-drift-'));
function dataset(name: string, rows: number, seed: number, shift: number): string {
  const r = rng(seed);
  const lines = ['x,k,c,e'];
  for (let i = 0; i < rows; i++) {
    const x = shift + Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
    const k = Math.floor(r() * 4 + shift * 2);
    const c = r() < 0.3 + shift / 2 ? 'red' : 'blue';
    lines.push(`${x.toFixed(4)},${k},${c},`);
  }
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n'));
  return p;
}

interface DriftJson {
  columns: {
    column: string;
    type: string;
    method: string;
    statistic: number;
    pValue: number | null;
    threshold: number;
    drift: boolean;
  }[];
  driftShare: number;
  datasetDrift: boolean;
  findings: { code: string; column?: string }[];
}

describe('mlsecops drift / profile', () => {
  const ref = dataset('ref.csv', 3000, 1, 0);
  const same = dataset('same.csv', 2000, 2, 0);
  const shifted = dataset('shifted.csv', 2000, 3, 0.5);

  it('reports no dataset drift for data from the same distribution (exit 0) and the JSON shape of the issue', async () => {
    const r = await run(['drift', '--reference', ref, '--current', same, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as DriftJson;
    expect(j.columns.map((c) => [c.column, c.type, c.method])).toEqual([
      ['x', 'numerical', 'wasserstein'],
      ['k', 'categorical', 'jensenshannon'],
      ['c', 'categorical', 'jensenshannon'],
    ]);
    expect(j.columns.every((c) => c.pValue === null && c.threshold === 0.1 && !c.drift)).toBe(true);
    expect(j.datasetDrift).toBe(false);
    expect(j.findings.map((f) => [f.code, f.column])).toEqual([['drift.empty-column', 'e']]);
  });

  it('flags drift (exit 1), and a profile gives the same numbers as the data', async () => {
    const direct = await run(['drift', '--reference', ref, '--current', shifted, '--format', 'json']);
    expect(direct.code).toBe(1);
    const j = JSON.parse(direct.stdout) as DriftJson;
    expect(j.columns.every((c) => c.drift)).toBe(true);
    expect(j.driftShare).toBe(1);
    const profile = join(dir, 'ref.profile.json');
    expect((await run(['profile', ref, '--output', profile])).code).toBe(0);
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toMatchObject({ kind: 'mlsecops.dataset-profile', rows: 3000 });
    const viaProfile = await run(['drift', '--reference', profile, '--current', shifted, '--format', 'json']);
    expect(JSON.parse(viaProfile.stdout)).toEqual(j);
  });

  it("streams a window compared with a profile into the profile's value cap; --exact keeps every value", async () => {
    const profile = join(dir, 'ref.capped.json');
    expect((await run(['profile', ref, '--output', profile, '--max-values', '1000'])).code).toBe(0);
    const bounded = JSON.parse(
      (await run(['drift', '--reference', profile, '--current', shifted, '--format', 'json'])).stdout,
    ) as DriftJson;
    expect(bounded.findings.map((f) => [f.code, f.column])).toContainEqual(['drift.sampled-profile', 'x']);
    expect(bounded.columns.find((c) => c.column === 'x')?.drift).toBe(true);
    const exact = JSON.parse(
      (await run(['drift', '--reference', profile, '--current', shifted, '--format', 'json', '--exact'])).stdout,
    ) as DriftJson;
    // --exact compares all 2,000 window values, the default a 1,000-value sample of them: two estimates.
    expect(exact.columns.find((c) => c.column === 'x')?.statistic).not.toBe(
      bounded.columns.find((c) => c.column === 'x')?.statistic,
    );
    const both = await run(['drift', '--reference', profile, '--current', shifted, '--exact', '--max-values', '10']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--exact and --max-values') as unknown]);
  });

  it('honours per-column methods and thresholds, and small references use tests with p-values', async () => {
    const small = dataset('small.csv', 500, 4, 0);
    const r = await run([
      'drift',
      '--reference',
      small,
      '--current',
      shifted,
      '--format',
      'json',
      '--column',
      'x=psi:0.5',
    ]);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as DriftJson;
    const byName = new Map(j.columns.map((c) => [c.column, c]));
    expect(byName.get('x')).toMatchObject({ method: 'psi', threshold: 0.5, pValue: null });
    expect(byName.get('k')?.method).toBe('chisquare');
    expect(byName.get('c')?.method).toBe('z');
    expect(byName.get('c')?.pValue).toBeLessThan(0.05);
  });

  it('prints text by default and exits 2 on a missing file', async () => {
    const text = await run(['drift', '--reference', ref, '--current', same]);
    expect(text.stdout).toContain('no dataset drift');
    const missing = await run(['drift', '--reference', join(dir, 'nope.csv'), '--current', same]);
    expect(missing.code).toBe(2);
  });

  it('fails (exit 1) naming a reference column the current data lacks, and notes columns only the current data has', async () => {
    const reference = join(dir, 'cols-ref.csv');
    const current = join(dir, 'cols-cur.csv');
    writeFileSync(reference, ['a,b', '1,2', '2,3', '3,4'].join('\n'));
    writeFileSync(current, ['a,c', '1,9', '2,8', '3,7'].join('\n'));
    const res = await run(['drift', '--reference', reference, '--current', current, '--format', 'json']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('lacks reference column(s): b');
    const report = JSON.parse(res.stdout) as DriftJson;
    expect(report.datasetDrift).toBe(false);
    expect(report.findings.filter((f) => f.code.endsWith('-column')).map((f) => `${f.code}:${f.column ?? ''}`)).toEqual(
      ['drift.missing-column:b', 'drift.extra-column:c'],
    );
  });

  it('refuses --threshold without --method (a p-value and a distance are not the same number)', async () => {
    const res = await run(['drift', '--reference', ref, '--current', same, '--threshold', '0.3']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--threshold needs --method');
    expect(
      (await run(['drift', '--reference', ref, '--current', same, '--method', 'psi', '--threshold', '0.3'])).code,
    ).toBe(0);
  });
});
