import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root, so the venv script runs the same way on a fresh clone and in CI. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Python of the pinned `reference` venv (made on first use by tools/python/ensure-venv.sh). Jest runs
 * spec files in parallel workers; the lock keeps two of them from building the same venv at once.
 */
export function referencePython(): string {
  mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
  return execFileSync('flock', [join(REPO_ROOT, '.cache', 'venv-reference.lock'), 'bash', 'tools/python/ensure-venv.sh', 'reference'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
}

/** Runs the reference `model_signing` CLI; returns its exit code and output (messages vary, codes do not). */
export function modelSigning(python: string, args: readonly string[], cwd?: string): { status: number; output: string } {
  const r = spawnSync(python, ['-m', 'model_signing', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
