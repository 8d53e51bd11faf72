import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.test-helpers';

const run = runCliCaptured;
const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

function dataset(): { dir: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cli-manifest-'));
  const data = join(dir, 'train');
  mkdirSync(join(data, 'shards'), { recursive: true });
  writeFileSync(join(data, 'shards', 'part-0.csv'), 'x,y\n1,2\n');
  writeFileSync(join(data, 'shards', 'part-1.csv'), 'x,y\n3,4\n');
  writeFileSync(join(data, 'labels.csv'), 'y\n0\n');
  return { dir, data };
}

describe('mlsecops manifest', () => {
  it('writes a manifest (per-file SHA-256, OMS root digest) and verifies it (exit 0)', async () => {
    const { dir, data } = dataset();
    const out = join(dir, 'MANIFEST.json');
    const created = await run(['manifest', data, '--output', out]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(
      /^manifest of train: 3 files, 20 bytes, root sha256:[0-9a-f]{64} -> .*MANIFEST\.json\n$/,
    );
    const manifest = JSON.parse(readFileSync(out, 'utf8')) as {
      files: { name: string; sha256: string }[];
      rootDigest: string;
    };
    expect(manifest.files).toEqual([
      { name: 'labels.csv', sha256: sha('y\n0\n') },
      { name: 'shards/part-0.csv', sha256: sha('x,y\n1,2\n') },
      { name: 'shards/part-1.csv', sha256: sha('x,y\n3,4\n') },
    ]);
    expect(manifest.rootDigest).toBe(sha(Buffer.concat(manifest.files.map((f) => Buffer.from(f.sha256, 'hex')))));
    const verified = await run(['manifest', 'verify', data, '--manifest', out]);
    expect(verified).toMatchObject({
      code: 0,
      stdout: `verified train: 3 files, root sha256:${manifest.rootDigest}\n`,
    });
  });

  it('`manifest create` is the same command, and prints the manifest on stdout without --output', async () => {
    const { data } = dataset();
    const bare = await run(['manifest', data]);
    const explicit = await run(['manifest', 'create', data]);
    expect(bare.code).toBe(0);
    expect(explicit).toEqual(bare);
    expect(JSON.parse(bare.stdout)).toMatchObject({
      kind: 'mlsecops.dataset-manifest',
      version: 1,
      datasetName: 'train',
      totalBytes: 20,
    });
  });

  it('exits 1 naming changed, missing and extra files', async () => {
    const { dir, data } = dataset();
    const out = join(dir, 'm.json');
    expect((await run(['manifest', data, '-o', out])).code).toBe(0);
    writeFileSync(join(data, 'shards', 'part-1.csv'), 'x,y\n3,5\n');
    rmSync(join(data, 'labels.csv'));
    writeFileSync(join(data, 'shards', 'part-2.csv'), 'x,y\n5,6\n');
    const text = await run(['manifest', 'verify', data, '--manifest', out]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      'mlsecops: dataset does not match the manifest\n' +
        '  changed (1): shards/part-1.csv\n' +
        '  missing (1): labels.csv\n' +
        '  extra (1): shards/part-2.csv\n',
    );
    const json = await run(['manifest', 'verify', data, '--manifest', out, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      changed: ['shards/part-1.csv'],
      missing: ['labels.csv'],
      extra: ['shards/part-2.csv'],
      findings: [
        { code: 'integrity.digest-mismatch' },
        { code: 'integrity.missing-file' },
        { code: 'integrity.extra-file' },
      ],
    });
  });

  it('leaves a manifest written inside the dataset, and recorded ignore paths, out of the check', async () => {
    const { data } = dataset();
    writeFileSync(join(data, 'cache.tmp'), 'a');
    const inside = join(data, 'MANIFEST.json');
    expect((await run(['manifest', data, '-o', inside, '--ignore-paths', 'cache.tmp', '--json'])).stdout).toMatch(
      /"files":3,/,
    );
    writeFileSync(join(data, 'cache.tmp'), 'b');
    expect((await run(['manifest', 'verify', data, '--manifest', inside])).code).toBe(0);
  });

  it('hashes a single file', async () => {
    const { dir, data } = dataset();
    const out = join(dir, 'one.json');
    expect((await run(['manifest', join(data, 'labels.csv'), '-o', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      datasetName: 'labels.csv',
      files: [{ name: '.', sha256: sha('y\n0\n') }],
    });
    expect((await run(['manifest', 'verify', join(data, 'labels.csv'), '--manifest', out])).code).toBe(0);
    writeFileSync(join(data, 'labels.csv'), 'y\n1\n');
    expect((await run(['manifest', 'verify', join(data, 'labels.csv'), '--manifest', out])).code).toBe(1);
  });

  it('exits 2 on usage and I/O errors', async () => {
    const { dir, data } = dataset();
    const missingData = await run(['manifest', join(dir, 'nope')]);
    expect(missingData.code).toBe(2);
    expect(missingData.stderr).toMatch(/cannot be read/);
    expect((await run(['manifest', 'verify', data])).code).toBe(2);
    const noManifest = await run(['manifest', 'verify', data, '--manifest', join(dir, 'none.json')]);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toMatch(/no such manifest file/);
    writeFileSync(join(dir, 'bad.json'), '{"kind":"something-else"}');
    const malformed = await run(['manifest', 'verify', data, '--manifest', join(dir, 'bad.json')]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/is not a dataset manifest: kind/);
  });
});
