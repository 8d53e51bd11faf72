import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scanFile } from './scanner';

// Pickles and joblib files written by the real libraries (scikit-learn, pandas, SciPy, NumPy, pinned in
// the reference venv), not by our fixture generator: the allowlist must know what real models name.
const repo = resolve(__dirname, '..', '..', '..');
let dir: string;
let manifest: Record<string, 'safe' | 'unsafe'>;

beforeAll(() => {
  const python = execFileSync('bash', [join(repo, 'tools/python/ensure-venv.sh'), 'reference'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  dir = mkdtempSync(join(tmpdir(), 'scan-real-pickles-'));
  execFileSync(python, [join(repo, 'libs/model-scanner/reference/real_pickles.py'), dir], { encoding: 'utf8' });
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pickles written by real ML libraries', () => {
  it('covers estimators, frames and dangerous callables in several writers', () => {
    const names = Object.keys(manifest);
    expect(names.filter((n) => manifest[n] === 'safe').length).toBeGreaterThanOrEqual(150);
    expect(names.filter((n) => manifest[n] === 'unsafe').length).toBeGreaterThanOrEqual(9);
    expect(names.some((n) => n.endsWith('.xz.joblib'))).toBe(true);
  });

  it('passes every benign file with no finding above low, and blocks every dangerous callable', async () => {
    const wrong: string[] = [];
    for (const [name, expected] of Object.entries(manifest)) {
      const r = await scanFile(join(dir, name), name);
      // Low is informational here (an object-dtype .npy is reported as the pickle it is).
      const noise = r.findings.filter((f) => f.severity !== 'info' && f.severity !== 'low');
      if (expected === 'safe' && (r.verdict !== 'safe' || noise.length > 0)) {
        wrong.push(`${name}: ${r.verdict} ${noise.map((f) => f.message).join('; ')}`);
      }
      if (expected === 'unsafe' && (r.verdict !== 'unsafe' || !r.findings.some((f) => f.severity === 'critical'))) {
        wrong.push(`${name}: ${r.verdict}, expected a critical finding`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
