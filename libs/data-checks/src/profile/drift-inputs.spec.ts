import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkTabularDataset } from '../scan/dataset-scan';
import { profilesForDrift } from './drift-inputs';
import { profileForDrift } from './profile-io';

const dir = mkdtempSync(join(tmpdir(), 'dc-drift-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `rows` rows of four float columns and a category, seeded. */
function window(name: string, rows: number, seed: number): string {
  let s = seed;
  const r = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const lines = ['a,b,c,d,k'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `${r().toFixed(6)},${(r() * 100).toFixed(3)},${(r() - 0.5).toFixed(5)},${Math.floor(r() * 1e6)},${Math.floor(r() * 5)}`,
    );
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n'));
  return p;
}

describe('profilesForDrift', () => {
  const data = window('window.csv', 30_000, 1);
  const referenceData = window('reference.csv', 5_000, 2);

  it('keeps every value of two data files (exact)', async () => {
    const [ref, cur] = await profilesForDrift(referenceData, data);
    expect(ref.columns[0]?.numeric).toMatchObject({ exact: true, count: 5_000 });
    expect(cur.columns[0]?.numeric?.values).toHaveLength(30_000);
  });

  it("streams a window compared with a saved profile into the profile's bounded summary", async () => {
    const { profile } = await checkTabularDataset(referenceData, { format: 'csv', valueCap: 2_000, categoryCap: 50 });
    const saved = join(dir, 'reference.profile.json');
    writeFileSync(saved, JSON.stringify(profile));
    const [ref, cur] = await profilesForDrift(saved, data);
    expect(ref.valueCap).toBe(2_000);
    expect(cur).toMatchObject({ rows: 30_000, valueCap: 2_000, categoryCap: 50 });
    expect(cur.columns[0]?.numeric).toMatchObject({ exact: false, count: 30_000 });
    expect(cur.columns[0]?.numeric?.values).toHaveLength(2_000);
    // Either side may be the profile; an explicit cap wins.
    const [asReference, stillSaved] = await profilesForDrift(data, saved, { valueCap: 500 });
    expect(asReference.columns[1]?.numeric?.values).toHaveLength(500);
    expect(stillSaved.columns[1]?.numeric?.values).toHaveLength(2_000);
  });
});

describe('memory of a bounded window scan', () => {
  // A full collection before each reading, so what is measured is what the scan still holds.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  /** Live heap + ArrayBuffer bytes at the last progress report (every 64k rows) above the lowest earlier one. */
  async function growth(path: string, valueCap: number): Promise<number> {
    const live: number[] = [];
    await profileForDrift(path, {
      valueCap,
      categoryCap: 100,
      onProgress: () => {
        gc();
        const m = process.memoryUsage();
        live.push(m.heapUsed + m.arrayBuffers);
      },
    });
    expect(live.length).toBeGreaterThanOrEqual(4);
    return (live.pop() as number) - Math.min(...live);
  }

  it('does not grow with the rows when values are capped, and the same measurement sees exact mode grow', async () => {
    const big = window('big.csv', 300_000, 3);
    const bounded = await growth(big, 1_000);
    const exact = await growth(big, Number.POSITIVE_INFINITY);
    // Exact mode holds 4 numeric columns x 8 bytes x ~200k more rows at the last reading than at the first.
    expect(exact).toBeGreaterThan(4 * 1024 * 1024);
    expect(bounded).toBeLessThan(512 * 1024);
  });
});
