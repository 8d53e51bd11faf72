import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ArtifactRoot } from '@mlsecops/artifact-store';
import { MlsecopsError } from '@mlsecops/contracts';

/** Resolves where to write a new file: its folder must exist under the root; the file need not. */
export async function resolveOutput(root: ArtifactRoot, uri: string): Promise<string> {
  const name = basename(uri);
  if (!name || name === '.' || name === '..') throw new MlsecopsError('INVALID_INPUT', `"${uri}" does not name a file`);
  const parentUri = dirname(uri);
  const parent = await root.resolve(parentUri === '' ? '.' : parentUri);
  if (parent.kind !== 'directory')
    throw new MlsecopsError('INVALID_INPUT', `the folder of "${uri}" is not a directory`);
  return join(parent.path, name);
}

/**
 * Write-then-rename in the target's folder: readers see the old file or the new one, never half of one,
 * and a symlink already at the target is replaced, not followed out of the root.
 */
export async function writeFileAtomically(path: string, body: string, uri: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, body);
    await rename(tmp, path);
  } catch (e: unknown) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new MlsecopsError(
      'IO_ERROR',
      `cannot write "${uri}": ${code ?? (e instanceof Error ? e.message : String(e))}`,
      { cause: e },
    );
  }
}
