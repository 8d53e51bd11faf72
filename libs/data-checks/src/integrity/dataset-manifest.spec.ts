import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatasetManifest, verifyDatasetManifest } from './dataset-manifest';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('dataset manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dc-manifest-'));
  const data = join(dir, 'train');
  mkdirSync(join(data, 'part'), { recursive: true });
  writeFileSync(join(data, 'part', 'b.csv'), 'x\n2\n');
  writeFileSync(join(data, 'a.csv'), 'x\n1\n');

  it('lists files in order with SHA-256 and the OMS root digest', async () => {
    const m = await createDatasetManifest(data);
    expect(m.files).toEqual([
      { name: 'a.csv', sha256: sha('x\n1\n') },
      { name: 'part/b.csv', sha256: sha('x\n2\n') },
    ]);
    const root = createHash('sha256')
      .update(Buffer.concat([Buffer.from(sha('x\n1\n'), 'hex'), Buffer.from(sha('x\n2\n'), 'hex')]))
      .digest('hex');
    expect(m.rootDigest).toBe(root);
    expect(await verifyDatasetManifest(data, m)).toEqual([]);
  });

  it('reports changed, missing and extra files', async () => {
    const m = await createDatasetManifest(data);
    writeFileSync(join(data, 'a.csv'), 'x\n9\n');
    rmSync(join(data, 'part', 'b.csv'));
    writeFileSync(join(data, 'c.csv'), 'x\n3\n');
    const findings = await verifyDatasetManifest(data, m);
    expect(findings.map((f) => [f.code, f.location])).toEqual([
      ['integrity.digest-mismatch', 'a.csv'],
      ['integrity.missing-file', 'part/b.csv'],
      ['integrity.extra-file', 'c.csv'],
    ]);
  });
});
