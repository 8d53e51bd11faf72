import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDatasetManifestResultSchema, verifyDatasetManifestResultSchema } from '@mlsecops/contracts';
import { createDatasetManifestActivities } from './dataset-manifest.activities';

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

function setUp(): { root: string; outside: string; activities: ReturnType<typeof createDatasetManifestActivities> } {
  const base = mkdtempSync(join(tmpdir(), 'manifest-activity-'));
  const root = join(base, 'artifacts');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'datasets', 'churn', 'shards'), { recursive: true });
  mkdirSync(outside);
  // Larger than one read chunk, so the file is streamed and progress heartbeats carry bytes.
  writeFileSync(join(root, 'datasets', 'churn', 'shards', 'part-0.csv'), Buffer.alloc(3 * 1024 * 1024, 0x31));
  writeFileSync(join(root, 'datasets', 'churn', 'shards', 'part-1.csv'), 'x\n2\n');
  writeFileSync(join(root, 'datasets', 'churn', 'labels.csv'), 'y\n0\n');
  writeFileSync(join(outside, 'secret.csv'), 'ssn\n078-05-1120\n');
  return { root, outside, activities: createDatasetManifestActivities({ artifactRoot: root, heartbeatEveryMs: 10 }) };
}

describe('dataset manifest activities', () => {
  it('creates the manifest beside the dataset by default, heartbeating, and verifies it', async () => {
    const { root, activities } = setUp();
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const created = createDatasetManifestResultSchema.parse(
      await env.run(activities.createDatasetManifest, { datasetUri: 'datasets/churn' }),
    );
    const file = join(root, 'datasets', 'churn.manifest.json');
    const body = readFileSync(file);
    expect(created).toEqual({
      datasetUri: 'datasets/churn',
      manifestUri: 'datasets/churn.manifest.json',
      rootDigest: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      fileCount: 3,
      totalBytes: 3 * 1024 * 1024 + 8,
      sha256: sha(body),
    });
    const manifest = JSON.parse(body.toString()) as { files: { name: string }[]; rootDigest: string };
    expect(manifest.files.map((f) => f.name)).toEqual(['labels.csv', 'shards/part-0.csv', 'shards/part-1.csv']);
    expect(manifest.rootDigest).toBe(created.rootDigest);
    expect(beats).toContainEqual({ bytes: 0 });
    const again = await new MockActivityEnvironment().run(activities.createDatasetManifest, {
      datasetUri: 'datasets/churn',
    });
    expect(again).toEqual(created);
    const verified = verifyDatasetManifestResultSchema.parse(
      await env.run(activities.verifyDatasetManifest, {
        datasetUri: 'datasets/churn',
        manifestUri: 'datasets/churn.manifest.json',
      }),
    );
    expect(verified).toMatchObject({
      valid: true,
      rootDigest: created.rootDigest,
      expectedRootDigest: created.rootDigest,
      changed: [],
      missing: [],
      extra: [],
      findings: [],
    });
    expect(JSON.stringify([created, verified, beats])).not.toContain(root);
  });

  it('reports a changed, missing and extra file as an invalid result, not a failure', async () => {
    const { root, activities } = setUp();
    const env = new MockActivityEnvironment();
    await env.run(activities.createDatasetManifest, {
      datasetUri: 'datasets/churn',
      manifestUri: 'datasets/churn/MANIFEST.json',
    });
    writeFileSync(join(root, 'datasets', 'churn', 'labels.csv'), 'y\n1\n');
    rmSync(join(root, 'datasets', 'churn', 'shards', 'part-1.csv'));
    writeFileSync(join(root, 'datasets', 'churn', 'shards', 'part-2.csv'), 'x\n3\n');
    const v = verifyDatasetManifestResultSchema.parse(
      await env.run(activities.verifyDatasetManifest, {
        datasetUri: 'datasets/churn',
        manifestUri: 'datasets/churn/MANIFEST.json',
      }),
    );
    expect(v).toMatchObject({
      valid: false,
      changed: ['labels.csv'],
      missing: ['shards/part-1.csv'],
      extra: ['shards/part-2.csv'],
    });
    expect(v.findings.map((f) => [f.code, f.location])).toEqual([
      ['integrity.digest-mismatch', 'labels.csv'],
      ['integrity.missing-file', 'shards/part-1.csv'],
      ['integrity.extra-file', 'shards/part-2.csv'],
    ]);
  });

  it.each([
    [{ datasetUri: '../outside' }, 'PATH_OUTSIDE_ROOT'],
    [{ datasetUri: 'datasets/none' }, 'NOT_FOUND'],
    [{ datasetUri: 's3://bucket/churn' }, 'UNSUPPORTED_URI'],
    [{ datasetUri: 'datasets/churn', manifestUri: '../outside/m.json' }, 'PATH_OUTSIDE_ROOT'],
    [{ datasetUri: 'datasets/churn', manifestUri: 'datasets/no-such-folder/m.json' }, 'NOT_FOUND'],
  ])('refuses to create from or write to %j as non-retryable %s', async (input, code) => {
    const { activities } = setUp();
    const run = new MockActivityEnvironment().run(activities.createDatasetManifest, input);
    await expect(run).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(run).rejects.toMatchObject({ type: code, nonRetryable: true });
  });

  it('refuses a symlink out of the root and a malformed manifest', async () => {
    const { root, outside, activities } = setUp();
    symlinkSync(outside, join(root, 'datasets', 'link'));
    const out = new MockActivityEnvironment().run(activities.createDatasetManifest, { datasetUri: 'datasets/link' });
    await expect(out).rejects.toMatchObject({ type: 'PATH_OUTSIDE_ROOT', nonRetryable: true });
    writeFileSync(join(root, 'datasets', 'bad.json'), '{"kind":"mlsecops.dataset-manifest","version":1}');
    const bad = new MockActivityEnvironment().run(activities.verifyDatasetManifest, {
      datasetUri: 'datasets/churn',
      manifestUri: 'datasets/bad.json',
    });
    await expect(bad).rejects.toMatchObject({
      type: 'INVALID_INPUT',
      nonRetryable: true,
      message: expect.stringContaining('"datasets/bad.json" is not a dataset manifest') as string,
    });
  });
});
