import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { kolmogorovSf, ks2Samp } from '../stats/kolmogorov-smirnov';
import { chi2Sf } from '../stats/special-functions';
import { countsOfSorted } from './binning';
import type { Counts } from './binning';
import { runMethod } from './drift-methods';
import type { DriftMethod, FeatureType } from './drift-methods';

/**
 * Our drift numbers against scipy (and Evidently's rules restated with numpy) on the same data:
 * libs/data-checks/reference/drift_reference.py in the `reference` venv, 1e-6 relative tolerance.
 */
const repo = resolve(__dirname, '../../../..');
const REL = 1e-6;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}
function normal(n: number, seed: number, mean = 0, sd = 1, decimals?: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = mean + sd * Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
    out.push(decimals === undefined ? v : Number(v.toFixed(decimals)));
  }
  return out;
}
function categories(n: number, seed: number, weights: number[], labels: string[]): string[] {
  const r = rng(seed);
  const total = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: n }, () => {
    let u = r() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u <= 0) return labels[i] as string;
    }
    return labels[labels.length - 1] as string;
  });
}
const docRef = Array.from({ length: 5000 }, (_, i) => ((7919 * i) % 10007) / 100);
const docCur = Array.from({ length: 4000 }, (_, i) => (((7907 * i) % 10009) / 100) * 1.05 + 3);

type Case =
  | {
      kind: 'ks' | 'wasserstein' | DriftMethod;
      ref: (number | string)[];
      cur: (number | string)[];
      type?: FeatureType;
      strings?: boolean;
      label: string;
    }
  | { kind: 'kstwo_sf'; n: number; x: number; label: string }
  | { kind: 'chi2_sf'; x: number; dof: number; label: string };

const numericPairs: [string, number[], number[]][] = [
  ['doc example', [0.1, 0.4, 0.7, 1.0, 1.3], [0.2, 0.9, 1.5, 2.0]],
  ['equal n with ties', normal(400, 1, 0, 1, 1), normal(400, 2, 0.2, 1, 1)],
  ['unequal n', normal(137, 3), normal(211, 4, 0.3)],
  ['exact, large', normal(3000, 5), normal(2500, 6, 0.05, 1.1)],
  ['exact, tiny p', normal(900, 7), normal(1100, 8, 0.6)],
  ['exact at the limit', normal(10_000, 9), normal(7_000, 10, 0.02)],
  ['asymptotic, similar', normal(12_000, 11), normal(9_000, 12, 0.01)],
  ['asymptotic, shifted', normal(15_000, 13), normal(20_000, 14, 0.05)],
  ['doc binning dataset', docRef, docCur],
  ['few values', normal(3000, 15, 0, 1, 0), normal(2000, 16, 0.3, 1, 0)],
];
const cases: Case[] = [];
for (const [label, ref, cur] of numericPairs) {
  for (const kind of ['ks', 'wasserstein', 'jensenshannon', 'psi', 'kl_div', 'hellinger'] as const)
    cases.push({ kind, ref, cur, type: 'numerical', label });
}
const catRef = categories(2000, 21, [5, 3, 2, 1], ['a', 'b', 'c', 'd']);
const catCur = categories(1500, 22, [4, 3, 3, 1], ['a', 'b', 'c', 'd']);
const catNew = [...categories(800, 23, [5, 3, 2], ['a', 'b', 'c']), 'e'];
for (const kind of ['chisquare', 'jensenshannon', 'psi', 'kl_div', 'hellinger'] as const) {
  cases.push({ kind, ref: catRef, cur: catCur, type: 'categorical', strings: true, label: 'categories' });
}
cases.push({
  kind: 'chisquare',
  ref: categories(900, 24, [5, 3, 2], ['a', 'b', 'c']),
  cur: catNew,
  strings: true,
  type: 'categorical',
  label: 'unseen category',
});
cases.push({
  kind: 'z',
  ref: categories(100, 25, [6, 4], ['x', 'y']),
  cur: categories(80, 26, [9, 11], ['x', 'y']),
  strings: true,
  type: 'categorical',
  label: 'binary',
});
cases.push({
  kind: 'z',
  ref: [...Array<string>(60).fill('x'), ...Array<string>(40).fill('y')],
  cur: [...Array<string>(36).fill('x'), ...Array<string>(44).fill('y')],
  strings: true,
  type: 'categorical',
  label: 'doc z-test',
});
cases.push({
  kind: 'chisquare',
  ref: normal(700, 27, 0, 1, 0).map((v) => Math.min(Math.abs(v), 3)),
  cur: normal(600, 28, 0.2, 1, 0).map((v) => Math.min(Math.abs(v), 3)),
  type: 'numerical',
  label: 'numeric chi-square',
});
for (const n of [141, 500, 2000, 5000, 20_000, 100_000, 150_000, 1_000_000]) {
  for (const z of [0.3, 0.6, 0.9, 1.2, 1.6, 2.5, 4])
    cases.push({ kind: 'kstwo_sf', n, x: z / Math.sqrt(n), label: `kstwo n=${n}` });
}
cases.push({ kind: 'kstwo_sf', n: 500, x: 0.1, label: 'doc kstwo' });
for (const [x, dof] of [
  [34.66666666666667, 3],
  [0.5, 1],
  [120, 40],
  [3, 7],
] as const)
  cases.push({ kind: 'chi2_sf', x, dof, label: `chi2 ${x}/${dof}` });

function ours(c: Case): number | number[] {
  switch (c.kind) {
    case 'kstwo_sf':
      return kolmogorovSf(c.n, c.x);
    case 'chi2_sf':
      return chi2Sf(c.x, c.dof);
    case 'ks':
    case 'wasserstein':
    case 'chisquare':
    case 'z':
    case 'jensenshannon':
    case 'psi':
    case 'kl_div':
    case 'hellinger': {
      const toSide = (v: (number | string)[]): { values?: number[]; counts: Counts } => {
        if (c.strings) {
          const counts: Counts = new Map();
          for (const s of v) counts.set(s, (counts.get(s) ?? 0) + 1);
          return { counts };
        }
        const values = (v as number[]).slice().sort((a, b) => a - b);
        return { values, counts: countsOfSorted(values) };
      };
      const ref = toSide(c.ref);
      const cur = toSide(c.cur);
      if (c.kind === 'ks') {
        const r = ks2Samp(ref.values ?? [], cur.values ?? []);
        return [r.statistic, r.pValue];
      }
      const r = runMethod(c.kind, ref, cur, c.type ?? 'numerical');
      return c.kind === 'chisquare' || c.kind === 'z' ? [r.statistic, r.pValue ?? NaN] : r.statistic;
    }
  }
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));
}

describe('drift statistics against scipy', () => {
  let expected: (number | number[])[];
  beforeAll(() => {
    const python = execFileSync('bash', [join(repo, 'tools/python/ensure-venv.sh'), 'reference'], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
    const input = JSON.stringify(cases.map(({ label: _label, ...c }) => c));
    const out = execFileSync(python, [join(repo, 'libs/data-checks/reference/drift_reference.py')], {
      input,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    // Python's json writes Infinity/NaN bare; quote them and turn them back into numbers.
    const quoted = out.replace(/-?Infinity|NaN/g, (m) => `"${m}"`);
    expected = JSON.parse(quoted, (_k, v: unknown) => (typeof v === 'string' ? Number(v) : v)) as (number | number[])[];
  }, 600_000);

  it('matches the documented check values', () => {
    expect(ours(cases[0] as Case)).toEqual([0.5, 0.5634920634920635]);
    const doc = cases.filter((c) => c.label === 'doc binning dataset');
    expect(ours(doc.find((c) => c.kind === 'wasserstein') as Case)).toBeCloseTo(0.19083856587521034, 12);
    expect(ours(doc.find((c) => c.kind === 'psi') as Case)).toBeCloseTo(0.4695055073757363, 12);
    expect((ours(cases.find((c) => c.label === 'doc z-test') as Case) as number[])[1]).toBeCloseTo(
      0.04502088100253854,
      14,
    );
  });

  it.each(cases.map((c, i) => [`${c.kind} ${c.label}`, i] as const))('%s', (_name, i) => {
    const want = expected[i] as number | number[];
    const got = ours(cases[i] as Case);
    const w = Array.isArray(want) ? want : [want];
    const g = Array.isArray(got) ? got : [got];
    expect(g).toHaveLength(w.length);
    w.forEach((x, k) => {
      if (!close(g[k] as number, x)) throw new Error(`value ${k}: ours ${g[k]} vs scipy ${x}`);
    });
  });
});
