import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Repository root, so the venv script runs the same way on a fresh clone and in CI. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Python of the pinned `reference` venv (made on first use by tools/python/ensure-venv.sh, which locks
 * so parallel Jest workers never build the same venv twice).
 */
export function referencePython(): string {
  return execFileSync('bash', ['tools/python/ensure-venv.sh', 'reference'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
}

/** Runs the reference `model_signing` CLI; returns its exit code and output (messages vary, codes do not). */
export function modelSigning(
  python: string,
  args: readonly string[],
  cwd?: string,
): { status: number; output: string } {
  const r = spawnSync(python, ['-m', 'model_signing', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
