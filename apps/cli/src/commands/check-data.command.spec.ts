import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.test-helpers';

const run = runCliCaptured;

interface CheckJson {
  verdict: string;
  findings: {
    kind: string;
    severity: string;
    column?: string;
    rows?: number[];
    entity?: string;
    score?: number;
    message: string;
  }[];
}

const dir = mkdtempSync(join(tmpdir(), 'cli-check-'));
const write = (name: string, body: string): string => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe('mlsecops check-data', () => {
  const schema = write(
    'schema.json',
    JSON.stringify({
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'email', type: 'string', nullable: true },
        { name: 'y', type: 'string' },
      ],
    }),
  );

  it('passes clean data (exit 0)', async () => {
    const data = write('clean.csv', 'id,email,y\n1,,a\n2,,b\n3,,a\n');
    const r = await run(['check-data', data, '--schema', schema, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as CheckJson).verdict).toBe('pass');
  });

  it('fails with schema, duplicate, pii and label_conflict kinds (exit 1), rows 0-based', async () => {
    const data = write(
      'bad.jsonl',
      [
        { id: 1, email: 'x.y@example.com', y: 'a' },
        { id: 'two', email: null, y: 'a' },
        { id: 1, email: 'x.y@example.com', y: 'a' },
        { id: 1, email: 'x.y@example.com', y: 'b' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const r = await run(['check-data', data, '--schema', schema, '--label', 'y', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as CheckJson;
    expect(j.verdict).toBe('fail');
    const byKind = new Map(j.findings.map((f) => [f.kind, f]));
    expect(byKind.get('schema')).toMatchObject({ column: 'id', rows: [1] });
    expect(byKind.get('duplicate')).toMatchObject({ rows: [2] });
    expect(byKind.get('pii')).toMatchObject({ entity: 'EMAIL_ADDRESS', column: 'email', rows: [0, 2, 3], score: 1 });
    expect(byKind.get('label_conflict')).toMatchObject({ rows: [0, 2, 3] });
    expect(r.stdout).not.toContain('x.y@example.com');
  });

  it('exits 2 on usage errors', async () => {
    expect((await run(['check-data', join(dir, 'missing.csv')])).code).toBe(2);
    expect((await run(['check-data', schema, '--schema', schema, '--profile', schema])).code).toBe(2);
  });
});
