import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkData } from '../scan/check-data';
import { checkTabularDataset } from '../scan/dataset-scan';
import { knnLabelDisagreement } from './knn-label-disagreement';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

/** Three Gaussian classes in 5 dimensions (means 0, 3, 6, sd 1); `flip` of the labels moved to another class. */
function planted(
  n: number,
  seed: number,
  flip: number,
  weights = [1, 1, 1],
): { rows: number[][]; labels: string[]; flipped: Set<number> } {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  const rows: number[][] = [];
  const labels: string[] = [];
  const flipped = new Set<number>();
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let u = r() * total;
    let cls = 0;
    while (u > (weights[cls] as number)) u -= weights[cls++] as number;
    rows.push(Array.from({ length: 5 }, () => Number((cls * 3 + gauss()).toFixed(3))));
    let label = cls;
    if (r() < flip) {
      label = (cls + 1 + Math.floor(r() * 2)) % 3;
      flipped.add(i);
    }
    labels.push(`c${label}`);
  }
  return { rows, labels, flipped };
}

function toCsv(path: string, rows: number[][], labels: string[]): string {
  writeFileSync(path, ['f1,f2,f3,f4,f5,label', ...rows.map((row, i) => `${row.join(',')},${labels[i]}`)].join('\n'));
  return path;
}

const dir = mkdtempSync(join(tmpdir(), 'dc-poison-'));

describe('poisoning hints', () => {
  it('kNN label disagreement (k=10) finds flipped labels: precision and recall >= 0.9 on planted flips', () => {
    const { rows, labels, flipped } = planted(2000, 7, 0.05);
    const scores = knnLabelDisagreement(rows, labels, 10);
    const flagged = new Set(scores.flatMap((s, i) => (s >= 0.8 ? [i] : [])));
    const tp = [...flagged].filter((i) => flipped.has(i)).length;
    const precision = tp / flagged.size;
    const recall = tp / flipped.size;
    expect(flipped.size).toBeGreaterThan(60);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('check-data reports conflicting labels, suspects with scores and a class balance shift', async () => {
    const ref = planted(1500, 11, 0);
    const refPath = toCsv(join(dir, 'ref.csv'), ref.rows, ref.labels);
    const profile = (await checkTabularDataset(refPath, { format: 'csv' })).profile;
    const cur = planted(1500, 12, 0.04, [3, 1, 1]);
    // Plant five identical feature rows with conflicting labels.
    const rows = [...cur.rows];
    const labels = [...cur.labels];
    for (let i = 0; i < 5; i++) {
      rows.push([9, 9, 9, 9, 9]);
      labels.push(i % 2 ? 'c0' : 'c2');
    }
    const curPath = toCsv(join(dir, 'cur.csv'), rows, labels);
    const res = await checkData(curPath, { format: 'csv', label: 'label', profile });
    const codes = new Set(res.findings.map((f) => f.code));
    expect(codes.has('poison.label-conflict')).toBe(true);
    expect(res.findings.find((f) => f.code === 'poison.label-conflict')).toMatchObject({
      rows: [1500, 1501, 1502, 1503, 1504],
      rowCount: 5,
    });
    const suspects = res.findings.filter((f) => f.code === 'poison.label-suspect');
    expect(suspects).toHaveLength(20);
    const hits = suspects.filter((f) => cur.flipped.has((f.rows as number[])[0] as number)).length;
    expect(hits).toBeGreaterThanOrEqual(18);
    expect(suspects.every((f) => (f.score ?? 0) >= 0.8)).toBe(true);
    const balance = res.findings.find((f) => f.code === 'poison.class-balance');
    expect(balance?.message).toContain('"c0"');
    expect(balance?.score).toBeGreaterThan(0.2);
  });

  it('reports a change of feature-label correlation against a profile made with the label', async () => {
    const ref = planted(1500, 31, 0);
    const profile = (
      await checkTabularDataset(toCsv(join(dir, 'r3.csv'), ref.rows, ref.labels), { format: 'csv', label: 'label' })
    ).profile;
    expect(profile.labelCorrelation?.features['f1']).toBeGreaterThan(0.8);
    // Same features, labels shuffled: every feature loses its link to the label (a label-flipping attack at scale).
    const cur = planted(1500, 32, 0);
    const shuffled = cur.labels.map((_, i) => cur.labels[(i * 7919) % cur.labels.length] as string);
    const res = await checkData(toCsv(join(dir, 'c3.csv'), cur.rows, shuffled), {
      format: 'csv',
      label: 'label',
      profile,
      pii: false,
    });
    const shifts = res.findings.filter((f) => f.code === 'poison.correlation-shift');
    expect(shifts.map((f) => f.column).sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(shifts.every((f) => (f.score ?? 0) > 0.5)).toBe(true);
    const same = await checkData(toCsv(join(dir, 'c4.csv'), cur.rows, cur.labels), {
      format: 'csv',
      label: 'label',
      profile,
      pii: false,
    });
    expect(same.findings.filter((f) => f.code === 'poison.correlation-shift')).toEqual([]);
  });

  it('on clean data with the same balance: no conflicts or balance shift, suspects under 0.5% of rows', async () => {
    const ref = planted(1000, 21, 0);
    const profile = (await checkTabularDataset(toCsv(join(dir, 'r2.csv'), ref.rows, ref.labels), { format: 'csv' }))
      .profile;
    const cur = planted(1000, 22, 0);
    const res = await checkData(toCsv(join(dir, 'c2.csv'), cur.rows, cur.labels), {
      format: 'csv',
      label: 'label',
      profile,
      pii: false,
    });
    const codes = res.findings.filter((f) => f.code.startsWith('poison.')).map((f) => f.code);
    expect(codes.filter((c) => !c.startsWith('poison.label-suspect'))).toEqual([]);
    const summary = res.findings.find((f) => f.code === 'poison.label-suspect-summary');
    expect(summary?.rowCount ?? 0).toBeLessThanOrEqual(5);
  });
});
