import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnSpec } from '@mlsecops/contracts';
import { checkTabularDataset } from './dataset-scan';

const dir = mkdtempSync(join(tmpdir(), 'dc-scan-'));
function file(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

const columns: ColumnSpec[] = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'score', type: 'number', nullable: true },
  { name: 'ok', type: 'boolean', nullable: false },
  { name: 'when', type: 'datetime', nullable: false },
  { name: 'label', type: 'string', nullable: false },
];

describe('checkTabularDataset', () => {
  it('passes a clean CSV with a BOM and reports quality figures', async () => {
    const p = file(
      'clean.csv',
      '\uFEFFid,score,ok,when,label\r\n1,0.5,true,2024-01-02,a\r\n2,,false,2024-01-03T10:00:00Z,"b, c"\r\n',
    );
    const r = await checkTabularDataset(p, { format: 'csv', columns });
    expect(r.findings.filter((f) => f.severity !== 'low')).toEqual([]);
    expect(r.findings.map((f) => `${f.code}:${f.column ?? ''}`)).toEqual(['quality.constant-column:score']);
    expect(r.quality).toEqual({
      rows: 2,
      nullsPerColumn: { id: 0, score: 1, ok: 0, when: 0, label: 0 },
      duplicateRows: 0,
    });
    const score = r.profile.columns.find((c) => c.name === 'score');
    expect(score?.numeric?.values).toEqual([0.5]);
    expect(score?.nullRate).toBe(0.5);
  });

  it('finds missing and extra columns, type mismatches, nulls in required columns and duplicates', async () => {
    const body = [
      'id,score,ok,label,extra',
      '1,0.5,true,a,x',
      '2,abc,maybe,,y',
      '1,0.5,true,a,x',
      'x1,2,false,b,z',
      '1,0.5,true,a,x',
    ].join('\n');
    const r = await checkTabularDataset(file('bad.csv', body), { format: 'csv', columns });
    const byCode = new Map(r.findings.map((f) => [`${f.code}:${f.column ?? ''}`, f]));
    expect(byCode.get('schema.missing-column:when')?.severity).toBe('high');
    expect(byCode.get('schema.extra-column:extra')?.severity).toBe('medium');
    expect(byCode.get('schema.type-mismatch:score')).toMatchObject({ rows: [1], rowCount: 1 });
    expect(byCode.get('schema.type-mismatch:ok')).toMatchObject({ rows: [1], rowCount: 1 });
    expect(byCode.get('schema.type-mismatch:id')).toMatchObject({ rows: [3], rowCount: 1 });
    expect(byCode.get('quality.null-in-required:label')).toMatchObject({ rows: [1], rowCount: 1 });
    expect(byCode.get('quality.duplicate-rows:')).toMatchObject({ rows: [2, 4], rowCount: 2 });
    expect(r.quality.duplicateRows).toBe(2);
    expect(r.quality.rows).toBe(5);
  });

  it('caps row indices at 20 while counting them all', async () => {
    // Blank lines are skipped, so a second column makes empty ids count as rows.
    const body = ['id,label', ...Array.from({ length: 50 }, (_, i) => `,l${i}`)].join('\n');
    const r = await checkTabularDataset(file('nulls.csv', body), {
      format: 'csv',
      columns: [columns[0] as ColumnSpec, { name: 'label', type: 'string', nullable: false }],
    });
    const f = r.findings.find((x) => x.code === 'quality.null-in-required');
    expect(f?.rows).toHaveLength(20);
    expect(f?.rowCount).toBe(50);
  });

  it('infers types and flags mixed types and constant columns without a schema', async () => {
    const body = ['a,b,c', '1,x,k', '2,y,k', 'oops,z,k', '4,w,k'].join('\n');
    const r = await checkTabularDataset(file('mixed.csv', body), { format: 'csv' });
    expect(r.profile.columns.map((c) => c.type)).toEqual(['string', 'string', 'string']);
    const mixed = r.findings.find((f) => f.code === 'quality.mixed-types');
    expect(mixed).toMatchObject({ column: 'a', rows: [2], rowCount: 1 });
    expect(r.findings.find((f) => f.code === 'quality.constant-column')?.column).toBe('c');
  });

  it('reads JSON Lines with typed values', async () => {
    const body =
      '{"id":1,"score":1.5,"ok":true,"when":"2024-01-01","label":"a"}\n{"id":2.5,"score":null,"ok":"yes","when":"2024-01-01","label":"b"}\n';
    const r = await checkTabularDataset(file('d.jsonl', body), { format: 'jsonl', columns });
    expect(
      r.findings
        .filter((f) => f.severity !== 'low')
        .map((f) => `${f.code}:${f.column ?? ''}`)
        .sort(),
    ).toEqual(['schema.type-mismatch:id', 'schema.type-mismatch:ok']);
    expect(r.quality.nullsPerColumn['score']).toBe(1);
  });

  it('reports JSON Lines keys the first object did not have instead of dropping them', async () => {
    const body = '{"a":1,"b":"x"}\n{"a":2}\n{"a":3,"b":"y","extra":"leaked"}\n';
    const r = await checkTabularDataset(file('keys.jsonl', body), { format: 'jsonl' });
    expect(r.profile.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(r.findings.find((f) => f.code === 'schema.field-count')).toMatchObject({ rows: [2], rowCount: 1 });
    expect(r.quality.nullsPerColumn['b']).toBe(1);
  });

  it('streams a file larger than one read chunk', async () => {
    const lines = ['id,score'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${(i % 1000) / 10}`);
    const r = await checkTabularDataset(file('big.csv', lines.join('\n')), {
      format: 'csv',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'score', type: 'number', nullable: false },
      ],
    });
    expect(r.findings).toEqual([]);
    expect(r.quality.rows).toBe(200_000);
    const score = r.profile.columns[1];
    expect(score?.numeric?.count).toBe(200_000);
    expect(score?.numeric?.exact).toBe(false);
    expect(score?.numeric?.values).toHaveLength(10_000);
    expect(score?.numeric?.max).toBe(99.9);
  }, 60_000);

  it('validates new data against a reference profile: ranges, unseen categories, null-rate jumps, types', async () => {
    const ref = await checkTabularDataset(
      file(
        'ref.csv',
        [
          'age,color,score',
          ...Array.from({ length: 100 }, (_, i) => `${20 + (i % 40)},${i % 2 ? 'red' : 'blue'},${i / 10}`),
        ].join('\n'),
      ),
      { format: 'csv' },
    );
    const body = ['age,color,score', '25,red,1.5', '75,blue,2', '30,green,', '31,red,', '32,red,x'].join('\n');
    const r = await checkTabularDataset(file('new.csv', body), { format: 'csv', profile: ref.profile });
    const byCode = new Map(r.findings.map((f) => [`${f.code}:${f.column ?? ''}`, f]));
    expect(byCode.get('quality.out-of-range:age')).toMatchObject({ rows: [1], rowCount: 1 });
    expect(byCode.get('quality.unseen-category:color')).toMatchObject({ rows: [2], rowCount: 1 });
    expect(byCode.get('quality.null-rate-jump:score')).toMatchObject({ rows: [2, 3], rowCount: 2 });
    expect(byCode.get('quality.null-in-required:score')).toMatchObject({ rowCount: 2 });
    expect(byCode.get('schema.type-mismatch:score')).toMatchObject({ rows: [4] });
  });

  it('reports a missing file as NOT_FOUND', async () => {
    await expect(checkTabularDataset(join(dir, 'nope.csv'), { format: 'csv' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
