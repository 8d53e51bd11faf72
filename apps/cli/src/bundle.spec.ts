import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// bin/entry.js is plain JavaScript (it runs before anything is compiled or loaded).
const { bundleIsFresh, cliEntry } = createRequire(__filename)('../bin/entry') as {
  bundleIsFresh: (bundleDir: string, repoRoot: string) => boolean;
  cliEntry: (distDir: string, repoRoot: string) => string | undefined;
};

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fake repository: one compiled input, dist/main.js and a bundle built from them, with given ages. */
function fakeBuild(opts: { inputAge: number; bundleAge: number; inputs?: string }): { root: string; dist: string } {
  const root = mkdtempSync(join(tmpdir(), 'cli-entry-'));
  made.push(root);
  const dist = join(root, 'apps', 'cli', 'dist');
  mkdirSync(join(dist, 'bundle'), { recursive: true });
  const now = Date.now() / 1000;
  const write = (path: string, text: string, ageS: number): void => {
    writeFileSync(path, text);
    utimesSync(path, now - ageS, now - ageS);
  };
  write(join(dist, 'main.js'), '', opts.inputAge);
  write(join(dist, 'bundle', 'mlsecops.js'), '', opts.bundleAge);
  writeFileSync(join(dist, 'bundle', 'inputs.json'), opts.inputs ?? JSON.stringify(['apps/cli/dist/main.js']));
  return { root, dist };
}

describe('the CLI entry (bin/entry.js)', () => {
  it('runs the bundle while it is newer than every input it was built from', () => {
    const { root, dist } = fakeBuild({ inputAge: 60, bundleAge: 30 });
    expect(bundleIsFresh(join(dist, 'bundle'), root)).toBe(true);
    expect(cliEntry(dist, root)).toBe(join(dist, 'bundle', 'mlsecops.js'));
  });

  it('falls back to dist/main.js when an input was rebuilt after the bundle (tsc -b alone)', () => {
    const { root, dist } = fakeBuild({ inputAge: 10, bundleAge: 30 });
    expect(bundleIsFresh(join(dist, 'bundle'), root)).toBe(false);
    expect(cliEntry(dist, root)).toBe(join(dist, 'main.js'));
  });

  it('falls back when the input list is missing, empty, unreadable or names a deleted file', () => {
    for (const inputs of ['', '[]', '{"not":"a list"}', JSON.stringify(['apps/cli/dist/gone.js'])]) {
      const { root, dist } = fakeBuild({ inputAge: 60, bundleAge: 30, inputs });
      expect(cliEntry(dist, root)).toBe(join(dist, 'main.js'));
    }
  });

  it('reports a CLI that is not built at all', () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-entry-'));
    made.push(root);
    expect(cliEntry(join(root, 'apps', 'cli', 'dist'), root)).toBeUndefined();
  });
});

// The real bundle, when the build made one (`npm test` builds first): its worker scripts must sit beside
// it, where the bundled libraries look for them.
const repoRoot = join(__dirname, '..', '..', '..');
const distDir = join(__dirname, '..', 'dist');
const built = existsSync(join(distDir, 'bundle', 'mlsecops.js')) && bundleIsFresh(join(distDir, 'bundle'), repoRoot);

(built ? describe : describe.skip)('the built CLI bundle', () => {
  const run = promisify(execFile);
  const bin = join(__dirname, '..', 'bin', 'mlsecops.js');

  it('scans a mixed directory with its helper thread (the bundled scan worker)', async () => {
    // Without it the scan would still pass, on one thread: the worker's place is checked first.
    expect(existsSync(join(distDir, 'bundle', 'scan-worker.js'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-scan-'));
    made.push(dir);
    for (let i = 0; i < 110; i++) {
      writeFileSync(
        join(dir, `${i}.pkl`),
        Buffer.from(i === 0 ? "cos\nsystem\n(S'id'\ntR." : '\x80\x04K\x01.', 'latin1'),
      );
      writeFileSync(join(dir, `${i}.json`), '{}');
    }
    const out = await run(process.execPath, [bin, 'scan', dir, '--format', 'json', '--jobs', '2']).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(out).toMatchObject({ code: 1 });
    expect((JSON.parse(out.stdout) as { summary: unknown }).summary).toEqual({
      scanned: 220,
      safe: 219,
      unsafe: 1,
      inconclusive: 0,
    });
  });

  it('compares two data files with its profile workers (the bundled profile worker)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-drift-'));
    made.push(dir);
    const rows = (shift: number): string =>
      `x\n${Array.from({ length: 200 }, (_, i) => String((i % 50) + shift)).join('\n')}\n`;
    writeFileSync(join(dir, 'ref.csv'), rows(0));
    writeFileSync(join(dir, 'cur.csv'), rows(0));
    const { stdout } = await run(process.execPath, [
      bin,
      'drift',
      '--reference',
      join(dir, 'ref.csv'),
      '--current',
      join(dir, 'cur.csv'),
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ datasetDrift: false });
  });
});
