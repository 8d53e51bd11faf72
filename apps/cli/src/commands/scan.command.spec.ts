import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.test-helpers';

const run = runCliCaptured;

const dir = mkdtempSync(join(tmpdir(), 'cli-scan-'));
execFileSync('python3', [resolve(__dirname, '../../../../libs/model-scanner/fixtures/generate_fixtures.py'), dir], {
  stdio: 'pipe',
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlsecops scan', () => {
  it('exits 0 on the benign set (directories expanded) and prints JSON in the documented shape', async () => {
    const { code, stdout } = await run(['scan', join(dir, 'benign'), '--format', 'json']);
    const report = JSON.parse(stdout) as {
      results: Array<{ path: string; format: string; verdict: string; findings: unknown[] }>;
      summary: { scanned: number; safe: number; unsafe: number; inconclusive: number };
    };
    expect(code).toBe(0);
    expect(report.summary.scanned).toBeGreaterThanOrEqual(20);
    expect(report.summary).toEqual({
      scanned: report.summary.scanned,
      safe: report.summary.scanned,
      unsafe: 0,
      inconclusive: 0,
    });
    expect(Object.keys(report.results[0] ?? {}).sort()).toEqual(['findings', 'format', 'path', 'verdict']);
  });

  it('exits 1 when any file is unsafe and names it in text output', async () => {
    const { code, stdout, stderr } = await run([
      'scan',
      join(dir, 'benign/model.safetensors'),
      join(dir, 'malicious/os_system_p2.pkl'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/UNSAFE .*os_system_p2\.pkl/);
    expect(stdout).toMatch(/CRITICAL pickle\.global\.denied/);
    expect(stderr).toMatch(/1 of 2 files failed/);
  });

  it('exits 1 on inconclusive files whatever --fail-on says', async () => {
    const { code } = await run(['scan', join(dir, 'malformed/truncated.pkl'), '--fail-on', 'critical']);
    expect(code).toBe(1);
  });

  it('--fail-on critical lets a medium finding pass, the default fails it', async () => {
    expect((await run(['scan', join(dir, 'malicious/unknown_global.pkl'), '--fail-on', 'critical'])).code).toBe(0);
    expect((await run(['scan', join(dir, 'malicious/unknown_global.pkl')])).code).toBe(1);
  });

  it('writes SARIF to --output', async () => {
    const out = join(dir, 'report.sarif');
    const { code } = await run(['scan', join(dir, 'malicious/inst.pkl'), '--format', 'sarif', '--output', out]);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(code).toBe(1);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toContain('pickle.global.denied');
  });

  it('exits 2 on a missing path or a bad flag', async () => {
    expect((await run(['scan', join(dir, 'nope.pkl')])).code).toBe(2);
    expect((await run(['scan', join(dir, 'benign'), '--format', 'xml'])).code).toBe(2);
    expect((await run(['scan', join(dir, 'benign'), '--jobs', '0'])).code).toBe(2);
  });
});
