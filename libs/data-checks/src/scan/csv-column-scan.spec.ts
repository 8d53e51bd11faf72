import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnSpec } from '@mlsecops/contracts';
import { openTable } from '../reading/table-source';
import { scanCsvColumns } from './csv-column-scan';
import { scanTable } from './dataset-scan';
import type { TabularCheckOptions } from './scan-options';

const dir = mkdtempSync(join(tmpdir(), 'dc-colscan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Columns in every spelling the two paths must agree on: canonical and padded numbers, exponents, NaN, quotes, blanks. */
function messyCsv(rows: number, seed: number, ks = ['0', '1', '2', '3', '-1', '01', '"2"', '', '1.0']): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const lines = ['\uFEFFx,k,"s",flag,when,mixed,wide'];
  for (let i = 0; i < rows; i++) {
    const x = (r() - 0.5) * 10 ** Math.floor(r() * 6 - 2);
    const xs =
      r() < 0.8
        ? x.toFixed(Math.floor(r() * 6))
        : pick([String(x), '', 'nan', '-inf', '1e-7', '"2.50"', '0012', '-0', '.5']);
    const k = pick(ks);
    const s = pick(['red', 'blue', '"gr,een"', '', 'ünï', '"say ""hi"""']);
    const flag = pick(['true', 'False', '0', '1', '']);
    const when = pick(['2024-01-02', '2024-01-02T10:00:00Z', '', 'not a date']);
    const mixed = pick(['1', '2.5', 'x', '', 'True']);
    const wide = String(Math.floor(r() * 10 ** Math.floor(r() * 18)));
    const row = [xs, k, s, flag, when, mixed, wide];
    // Some ragged rows, too short and too long.
    if (r() < 0.01) row.pop();
    if (r() < 0.01) row.push('extra');
    lines.push(row.join(','));
  }
  return lines.join(r() < 0.5 ? '\n' : '\r\n');
}

async function bothPaths(path: string, options: Omit<TabularCheckOptions, 'format'>): Promise<[unknown, unknown]> {
  const rowPath = await scanTable(await openTable(path, 'csv'), options);
  const bytePath = await scanCsvColumns(path, options);
  return [bytePath, rowPath];
}

describe('scanCsvColumns', () => {
  const path = join(dir, 'messy.csv');
  writeFileSync(path, messyCsv(5000, 3));

  it('gives the row path result on messy data: profile, findings and quality', async () => {
    const [bytes, rows] = await bothPaths(path, { skipDuplicates: true });
    expect(bytes).toEqual(rows);
    expect(bytes).toMatchObject({ profile: { rows: 5000 } });
  });

  it('agrees with every value kept, with small caps, and against a declared schema and a reference profile', async () => {
    const exact = await bothPaths(path, {
      skipDuplicates: true,
      valueCap: Number.POSITIVE_INFINITY,
      typedValues: true,
    });
    expect(exact[0]).toEqual(exact[1]);
    const capped = await bothPaths(path, { skipDuplicates: true, valueCap: 50, categoryCap: 3 });
    expect(capped[0]).toEqual(capped[1]);
    const columns: ColumnSpec[] = [
      { name: 'x', type: 'number', nullable: false },
      { name: 'k', type: 'integer', nullable: true },
      { name: 'flag', type: 'boolean', nullable: false },
      { name: 'missing', type: 'string', nullable: true },
    ];
    const declared = await bothPaths(path, { skipDuplicates: true, columns });
    expect(declared[0]).toEqual(declared[1]);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, messyCsv(300, 4, ['0', '1', '2', '01']).replace(/,blue,/g, ',red,'));
    const { profile } = await scanCsvColumns(reference, { skipDuplicates: true });
    // A category cap below the reference's categories: unseen values are still checked once counting stops.
    const checked = await bothPaths(path, { skipDuplicates: true, profile, categoryCap: 3 });
    expect(checked[0]).toEqual(checked[1]);
    const findings = (checked[0] as { findings: { code: string; column?: string }[] }).findings.map(
      (f) => `${f.code}:${f.column ?? ''}`,
    );
    expect(findings).toEqual(
      expect.arrayContaining([
        'quality.out-of-range:x',
        'quality.unseen-category:k',
        'quality.unseen-category:s',
        'schema.field-count:',
      ]),
    );
  });
});
