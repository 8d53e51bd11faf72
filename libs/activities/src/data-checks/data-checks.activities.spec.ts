import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DatasetContentCheckInput, DatasetContentCheckResult } from '@mlsecops/contracts';
import { createDataChecksActivities } from './data-checks.activities';

const base = mkdtempSync(join(tmpdir(), 'dc-act-'));
const datasetRoot = join(base, 'data');
const evidenceDir = join(base, 'evidence');
mkdirSync(datasetRoot);
const rows = ['id,name'];
for (let i = 0; i < 70_000; i++) rows.push(`${i},n${i % 7}`);
rows.push('1,n1');
writeFileSync(join(datasetRoot, 'train.csv'), rows.join('\n'));

const activities = createDataChecksActivities({ datasetRoot, evidenceDir });
const columns = [
  { name: 'id', type: 'integer' as const, nullable: false },
  { name: 'name', type: 'string' as const, nullable: false },
];

function check(env: MockActivityEnvironment, input: DatasetContentCheckInput): Promise<DatasetContentCheckResult> {
  return env.run<[DatasetContentCheckInput], DatasetContentCheckResult, typeof activities.checkDatasetContent>(
    activities.checkDatasetContent,
    input,
  );
}

describe('checkDatasetContent', () => {
  it('checks the dataset, heartbeats and files the profile as evidence idempotently', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const input: DatasetContentCheckInput = { datasetUri: 'train.csv', format: 'csv', columns, evidenceKey: 'wf-1' };
    const first = await check(env, input);
    expect(first.quality).toEqual({ rows: 70_001, nullsPerColumn: { id: 0, name: 0 }, duplicateRows: 1 });
    expect(first.findings.map((f) => f.code)).toEqual(['quality.duplicate-rows']);
    expect(beats.length).toBeGreaterThan(0);
    const file = fileURLToPath(first.evidence?.uri ?? '');
    expect(file).toBe(join(evidenceDir, 'wf-1', 'dataset-profile.json'));
    const body = readFileSync(file);
    expect(createHash('sha256').update(body).digest('hex')).toBe(first.evidence?.sha256);
    const second = await check(new MockActivityEnvironment(), input);
    expect(second.evidence).toEqual(first.evidence);
  });

  it.each([
    ['../outside.csv', 'PATH_OUTSIDE_ROOT'],
    ['missing.csv', 'NOT_FOUND'],
    ['s3://bucket/x.csv', 'UNSUPPORTED_URI'],
  ])('fails %s as non-retryable %s', async (datasetUri, code) => {
    const run = check(new MockActivityEnvironment(), { datasetUri, format: 'csv', evidenceKey: 'wf-2' });
    await expect(run).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(run).rejects.toMatchObject({ type: code, nonRetryable: true });
  });

  it('rejects an evidence key that is not one path segment', async () => {
    const run = check(new MockActivityEnvironment(), { datasetUri: 'train.csv', format: 'csv', evidenceKey: '../x' });
    await expect(run).rejects.toMatchObject({ type: 'INVALID_INPUT', nonRetryable: true });
  });
});
