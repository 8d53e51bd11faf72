import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ScanModelArtifactInput, ScanModelArtifactResult } from '@mlsecops/contracts';
import { scanModelArtifactResultSchema } from '@mlsecops/contracts';
import { createModelScanActivities } from './model-scan.activities';

const root = mkdtempSync(join(tmpdir(), 'model-scan-activity-'));
execFileSync('python3', [resolve(__dirname, '../../../model-scanner/fixtures/generate_fixtures.py'), root], {
  stdio: 'pipe',
});

function scan(
  env: MockActivityEnvironment,
  input: ScanModelArtifactInput,
  heartbeatEveryMs?: number,
): Promise<ScanModelArtifactResult> {
  const activities = createModelScanActivities({ artifactRoot: root, heartbeatEveryMs });
  return env.run(activities.scanModelArtifact, input);
}

/** An opcode-dense pickle (BININT1/POP pairs) big enough to take a while: cancellation lands mid-scan. */
function longPickle(): string {
  const body = Buffer.alloc(96 << 20);
  for (let i = 0; i < body.length; i += 3) {
    body[i] = 0x4b;
    body[i + 1] = 1;
    body[i + 2] = 0x30;
  }
  const file = join(root, 'long.pkl');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x80, 4]),
      body.subarray(0, body.length - (body.length % 3)),
      Buffer.from([0x4e, 0x2e]),
    ]),
  );
  return 'long.pkl';
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanModelArtifact', () => {
  it('scans a directory by URI, reports worst verdict, URI-relative paths and evidence findings', async () => {
    const result = await scan(new MockActivityEnvironment(), { artifactUri: 'malicious' });
    expect(scanModelArtifactResultSchema.parse(result)).toEqual(result);
    expect(result.verdict).toBe('unsafe');
    expect(result.summary.scanned).toBeGreaterThan(40);
    expect(result.results.every((r) => r.path.startsWith('malicious/'))).toBe(true);
    expect(JSON.stringify(result)).not.toContain(root);
    expect(result.findings.some((f) => f.code === 'pickle.global.denied' && f.atlas?.includes('AML.T0011.000'))).toBe(
      true,
    );
  });

  it('returns safe for the benign set', async () => {
    const result = await scan(new MockActivityEnvironment(), { artifactUri: 'benign' });
    expect(result.verdict).toBe('safe');
    expect(result.findings).toEqual([]);
  });

  it('refuses URIs outside the root as non-retryable failures', async () => {
    const err = await scan(new MockActivityEnvironment(), { artifactUri: '../../etc/passwd' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('PATH_OUTSIDE_ROOT');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('heartbeats during a long scan and stops when cancelled', async () => {
    const uri = longPickle();
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => {
      beats.push(d);
      if (beats.length === 3) env.cancel();
    });
    const err = await scan(env, { artifactUri: uri }, 5).catch((e: unknown) => e);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(err).toBeInstanceOf(CancelledFailure);
  });
});
