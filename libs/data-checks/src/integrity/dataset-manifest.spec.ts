import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlsecopsError } from '@mlsecops/contracts';
import {
  createDatasetManifest,
  parseDatasetManifest,
  readDatasetManifest,
  verifyDatasetManifest,
} from './dataset-manifest';

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

function dataset(): string {
  const data = join(mkdtempSync(join(tmpdir(), 'dc-manifest-')), 'train');
  mkdirSync(join(data, 'part'), { recursive: true });
  writeFileSync(join(data, 'part', 'b.csv'), 'x\n2\n');
  writeFileSync(join(data, 'a.csv'), 'x\n1\n');
  return data;
}

describe('dataset manifests', () => {
  it('lists files in order with SHA-256 and the OMS root digest', async () => {
    const data = dataset();
    const m = await createDatasetManifest(data);
    expect(m.files).toEqual([
      { name: 'a.csv', sha256: sha('x\n1\n') },
      { name: 'part/b.csv', sha256: sha('x\n2\n') },
    ]);
    const root = sha(Buffer.concat([Buffer.from(sha('x\n1\n'), 'hex'), Buffer.from(sha('x\n2\n'), 'hex')]));
    expect(m.rootDigest).toBe(root);
    expect(m.totalBytes).toBe(8);
    expect(parseDatasetManifest(JSON.stringify(m))).toEqual(m);
    expect(await verifyDatasetManifest(data, m)).toMatchObject({
      valid: true,
      rootDigest: root,
      expectedRootDigest: root,
      fileCount: 2,
      findings: [],
    });
  });

  it('reports changed, missing and extra files', async () => {
    const data = dataset();
    const m = await createDatasetManifest(data);
    writeFileSync(join(data, 'a.csv'), 'x\n9\n');
    rmSync(join(data, 'part', 'b.csv'));
    writeFileSync(join(data, 'c.csv'), 'x\n3\n');
    const v = await verifyDatasetManifest(data, m);
    expect(v).toMatchObject({ valid: false, changed: ['a.csv'], missing: ['part/b.csv'], extra: ['c.csv'] });
    expect(v.rootDigest).not.toBe(m.rootDigest);
    expect(v.findings.map((f) => [f.code, f.location])).toEqual([
      ['integrity.digest-mismatch', 'a.csv'],
      ['integrity.missing-file', 'part/b.csv'],
      ['integrity.extra-file', 'c.csv'],
    ]);
  });

  it('leaves the manifest itself and the recorded ignore paths out, at creation and at verification', async () => {
    const data = dataset();
    writeFileSync(join(data, 'scratch.tmp'), 'noise');
    const manifestPath = join(data, 'MANIFEST.json');
    const m = await createDatasetManifest(data, { ignorePaths: ['scratch.tmp'], manifestPath });
    expect(m.files.map((f) => f.name)).toEqual(['a.csv', 'part/b.csv']);
    expect(m.ignorePaths).toEqual(['.git', '.gitattributes', '.github', '.gitignore', 'scratch.tmp', 'MANIFEST.json']);
    writeFileSync(manifestPath, JSON.stringify(m));
    writeFileSync(join(data, 'scratch.tmp'), 'other noise');
    expect((await verifyDatasetManifest(data, await readDatasetManifest(manifestPath), { manifestPath })).valid).toBe(
      true,
    );
  });

  it('hashes a single-file dataset under the OMS single-file name, streaming with progress', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dc-manifest-')), 'big.bin');
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    writeFileSync(file, body);
    let hashed = 0;
    const m = await createDatasetManifest(file, { hash: { chunkSize: 64 * 1024, onProgress: (n) => (hashed += n) } });
    expect(m).toMatchObject({
      datasetName: 'big.bin',
      files: [{ name: '.', sha256: sha(body) }],
      totalBytes: body.length,
    });
    expect(hashed).toBe(body.length);
  });

  it('catches a hand-edited manifest: inconsistent root digest, files out of order', async () => {
    const data = dataset();
    const m = await createDatasetManifest(data);
    const forged = { ...m, files: [{ ...m.files[0], sha256: sha('forged') }, m.files[1]] } as typeof m;
    expect((await verifyDatasetManifest(data, forged)).findings.map((f) => f.code)).toEqual([
      'integrity.digest-mismatch',
      'integrity.manifest-inconsistent',
    ]);
    const reversed = [...m.files].reverse();
    const reordered = {
      ...m,
      files: reversed,
      rootDigest: sha(Buffer.concat(reversed.map((f) => Buffer.from(f.sha256, 'hex')))),
    };
    expect(await verifyDatasetManifest(data, reordered)).toMatchObject({
      valid: false,
      findings: [{ code: 'integrity.root-mismatch' }],
    });
  });

  it.each([
    ['not JSON', 'not json', /manifest is not JSON/],
    ['another version', '{"kind":"mlsecops.dataset-manifest","version":2}', /version/],
    [
      'a short digest',
      JSON.stringify({
        kind: 'mlsecops.dataset-manifest',
        version: 1,
        datasetName: 'd',
        files: [{ name: 'a', sha256: 'abc' }],
        rootDigest: sha('r'),
        totalBytes: 1,
      }),
      /files\.0\.sha256/,
    ],
    [
      'a file listed twice',
      JSON.stringify({
        kind: 'mlsecops.dataset-manifest',
        version: 1,
        datasetName: 'd',
        files: [
          { name: 'a', sha256: sha('1') },
          { name: 'a', sha256: sha('1') },
        ],
        rootDigest: sha('r'),
        totalBytes: 1,
      }),
      /"a" is listed twice/,
    ],
  ])('refuses a malformed manifest (%s) as INVALID_INPUT', (_label, json, message) => {
    expect(() => parseDatasetManifest(json)).toThrow(MlsecopsError);
    expect(() => parseDatasetManifest(json)).toThrow(message);
  });

  it('names a missing manifest file NOT_FOUND', async () => {
    await expect(readDatasetManifest(join(tmpdir(), 'no-such-manifest.json'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
