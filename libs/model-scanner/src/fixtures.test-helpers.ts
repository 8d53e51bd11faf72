import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface FixtureExpectation {
  verdict: 'safe' | 'unsafe' | 'inconclusive';
  rules: string[];
  format: string | null;
}

const REPO_ROOT = resolve(__dirname, '../../..');
let cached: { dir: string; manifest: Record<string, FixtureExpectation> } | undefined;

/** Runs the checked-in generator (Python standard library only) into a fresh temp dir, once per worker. */
export function generatedFixtures(): { dir: string; manifest: Record<string, FixtureExpectation> } {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'model-scan-fixtures-'));
  execFileSync('python3', [join(REPO_ROOT, 'libs/model-scanner/fixtures/generate_fixtures.py'), dir], {
    stdio: 'pipe',
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, FixtureExpectation>;
  cached = { dir, manifest };
  return cached;
}

/** Removes the generated corpus (call from afterAll). */
export function removeGeneratedFixtures(): void {
  if (cached) rmSync(cached.dir, { recursive: true, force: true });
  cached = undefined;
}
