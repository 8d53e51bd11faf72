import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scanFile } from './scanner';

// Pickles and joblib files written by the real libraries (scikit-learn, pandas, SciPy, NumPy, pinned in
// the reference venv), not by our fixture generator: the allowlist must know what real models name.
const repo = resolve(__dirname, '..', '..', '..');
let dir: string;
let manifest: Record<string, 'safe' | 'unsafe'>;
let python: string;

beforeAll(() => {
  python = execFileSync('bash', [join(repo, 'tools/python/ensure-venv.sh'), 'reference'], {
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

describe("joblib's own test data (files written by joblib 0.8.4 to 0.11 on Python 2.7 to 3.6)", () => {
  it('passes every one with no finding above low, except raw array bytes of the oldest format', async () => {
    // Shipped in joblib's wheel: the formats that came before today's, as real users still hold them
    // (inline arrays without alignment padding, "ZF" zlib files, companion .npy files).
    const data = execFileSync(
      python,
      ['-c', 'import joblib.test.data, os; print(os.path.dirname(joblib.test.data.__file__))'],
      { encoding: 'utf8' },
    ).trim();
    const names = readdirSync(data).filter((n) => n.startsWith('joblib_'));
    expect(names.length).toBeGreaterThanOrEqual(60);
    const wrong: string[] = [];
    const companions: string[] = [];
    for (const name of names) {
      const r = await scanFile(join(data, name), name);
      // ZNDArrayWrapper's companions (.npy.z) are zlib-compressed raw array bytes, no format of their own:
      // unknown content stays inconclusive (fail closed).
      const expected = name.endsWith('.npy.z') ? 'inconclusive' : 'safe';
      const noise = r.findings.filter((f) => !['info', 'low'].includes(f.severity) && expected === 'safe');
      if (r.verdict !== expected || noise.length > 0)
        wrong.push(`${name}: ${r.verdict} ${noise.map((f) => f.message).join('; ')}`);
      if (r.findings.some((f) => f.ruleId === 'pickle.joblib-companion-file')) companions.push(name);
    }
    expect(wrong).toEqual([]);
    // The 0.9 pickles name their companion files: reported low, so a scan of the pickle alone says so.
    expect(companions.length).toBeGreaterThanOrEqual(6);
  });
});
