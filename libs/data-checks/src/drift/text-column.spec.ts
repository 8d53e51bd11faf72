import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileForDrift } from '../profile/profile-io';
import { compareProfiles } from './drift-report';

const dir = mkdtempSync(join(tmpdir(), 'dc-text-'));
let files = 0;
/** A CSV with a numeric column x (shifted on request), a 3-value category c and the given string column t. */
function csv(t: (string | null)[], shift = 0): string {
  const lines = ['x,c,t'];
  t.forEach((v, i) => lines.push(`${((i * 7919) % 1009) / 100 + shift},${['a', 'b', 'c'][i % 3]},${v ?? ''}`));
  const path = join(dir, `d${files++}.csv`);
  writeFileSync(path, lines.join('\n'));
  return path;
}
const unique = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
const cycle = (n: number, k: number): string[] => Array.from({ length: n }, (_, i) => `v${i % k}`);

async function drift(ref: string, cur: string, columns?: Record<string, { method: 'jensenshannon' }>) {
  return compareProfiles(await profileForDrift(ref), await profileForDrift(cur), { columns });
}

describe('text columns (Evidently: strings with more distinct values than half the non-missing ones)', () => {
  it('skips a free-text column with the reason instead of calling fresh values a drifted category', async () => {
    const r = await drift(csv(unique(300, 'ticket')), csv(unique(300, 'other ticket'), 5));
    expect(r.columns.map((c) => [c.column, c.type, c.method, c.drift])).toEqual([
      ['x', 'numerical', 'ks', true],
      ['c', 'categorical', 'chisquare', false],
    ]);
    expect(r.driftShare).toBe(0.5);
    expect(r.datasetDrift).toBe(true);
    const text = r.findings.filter((f) => f.code === 'drift.text-column');
    expect(text).toEqual([expect.objectContaining({ column: 't', severity: 'info' })]);
    expect(text[0]?.message).toMatch(
      /^column "t" is text \(300 distinct of 300 values in the current data, more than half\) and is skipped: .*domain classifier/,
    );
  });

  it.each([
    ['exactly half distinct: categorical', cycle(300, 150), cycle(300, 150), 'categorical'],
    ['one more than half: text', cycle(302, 151), cycle(300, 151), 'text'],
    ['judged on the current data (text there)', cycle(300, 3), unique(300, 'id'), 'text'],
    ['judged on the current data (categorical there)', unique(300, 'id'), cycle(300, 3), 'categorical'],
  ])('%s', async (_label, ref, cur, expected) => {
    const r = await drift(csv(ref), csv(cur));
    const t = r.columns.find((c) => c.column === 't');
    expect(
      t?.type ?? (r.findings.some((f) => f.code === 'drift.text-column' && f.column === 't') ? 'text' : 'absent'),
    ).toBe(expected);
  });

  it('counts only non-missing values, as pandas nunique/count do', async () => {
    const withNulls = (distinct: number): (string | null)[] => [
      ...cycle(200, distinct),
      ...Array<null>(100).fill(null),
    ];
    expect((await drift(csv(withNulls(3)), csv(withNulls(101)))).findings.map((f) => f.code)).toContain(
      'drift.text-column',
    );
    expect((await drift(csv(withNulls(3)), csv(withNulls(100)))).columns.map((c) => c.column)).toContain('t');
  });

  it('decides past the category cap when even cap + 1 distinct values are more than half', async () => {
    const r = await drift(csv(unique(1500, 'a')), csv(unique(1500, 'b')));
    expect(r.findings.find((f) => f.column === 't')).toMatchObject({
      code: 'drift.text-column',
      message: expect.stringContaining('more than 1000 distinct of 1500') as string,
    });
    const undecided = await drift(csv(cycle(2500, 1200)), csv(cycle(2500, 1200)));
    expect(undecided.findings.find((f) => f.column === 't')?.code).toBe('drift.empty-column');
  });

  it('compares a text column as a category when a method is set for it', async () => {
    const r = await drift(csv(unique(300, 'ticket')), csv(unique(300, 'ticket'), 5), {
      t: { method: 'jensenshannon' },
    });
    expect(r.columns.find((c) => c.column === 't')).toMatchObject({
      type: 'categorical',
      method: 'jensenshannon',
      statistic: 0,
      drift: false,
    });
    expect(r.findings.some((f) => f.code === 'drift.text-column')).toBe(false);
  });
});
