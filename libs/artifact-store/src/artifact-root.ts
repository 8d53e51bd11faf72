import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlsecopsError } from '@mlsecops/contracts';

/** A file or directory that was proven to live under the allowed root. */
export interface ResolvedArtifact {
  /** Real path (symlinks resolved) on this machine. */
  path: string;
  /** The URI as the caller gave it, for messages and evidence. */
  uri: string;
  kind: 'file' | 'directory';
  sizeBytes: number;
}

/**
 * The only door from an event's URI to the file system. Pipelines send URIs; workers must never read
 * outside the directory an operator allowed, whatever the URI says: `..` segments, absolute paths,
 * `file:` URIs pointing elsewhere and symlinks that lead out are all refused with PATH_OUTSIDE_ROOT.
 */
export class ArtifactRoot {
  private realRoot: Promise<string> | undefined;

  constructor(readonly rootDir: string) {
    if (!isAbsolute(rootDir)) {
      throw new MlsecopsError('INVALID_CONFIG', `artifact root must be an absolute path, got "${rootDir}"`);
    }
  }

  /** Resolves `uri` (a `file:` URI or a path relative to the root) to a real path inside the root. */
  async resolve(uri: string): Promise<ResolvedArtifact> {
    const root = await this.root();
    const candidate = this.toPath(uri, root);
    if (!isInside(root, candidate)) {
      throw new MlsecopsError('PATH_OUTSIDE_ROOT', `"${uri}" is outside the allowed artifact root`);
    }
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (e: unknown) {
      throw notFoundOr(e, uri);
    }
    // The lexical check above is not enough: a symlink inside the root may point anywhere.
    if (!isInside(root, real)) {
      throw new MlsecopsError('PATH_OUTSIDE_ROOT', `"${uri}" resolves through a symlink to outside the allowed root`);
    }
    const info = await stat(real);
    if (!info.isFile() && !info.isDirectory()) {
      throw new MlsecopsError('UNSUPPORTED_URI', `"${uri}" is neither a regular file nor a directory`);
    }
    return { path: real, uri, kind: info.isFile() ? 'file' : 'directory', sizeBytes: info.size };
  }

  private root(): Promise<string> {
    this.realRoot ??= realpath(this.rootDir).catch((e: unknown) => {
      this.realRoot = undefined;
      throw new MlsecopsError('INVALID_CONFIG', `artifact root "${this.rootDir}" does not exist`, { cause: e });
    });
    return this.realRoot;
  }

  private toPath(uri: string, root: string): string {
    if (uri.length === 0 || uri.includes('\0')) {
      throw new MlsecopsError('INVALID_INPUT', 'artifact URI is empty or contains a NUL byte');
    }
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
    if (scheme === 'file') {
      try {
        return resolve(fileURLToPath(uri));
      } catch (e: unknown) {
        throw new MlsecopsError('INVALID_INPUT', `"${uri}" is not a valid file: URI`, { cause: e });
      }
    }
    if (scheme !== undefined && scheme.length > 1) {
      throw new MlsecopsError(
        'UNSUPPORTED_URI',
        `URI scheme "${scheme}:" is not supported; use file: or a path relative to the artifact root`,
      );
    }
    return resolve(root, uri);
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function notFoundOr(e: unknown, uri: string): MlsecopsError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new MlsecopsError('NOT_FOUND', `"${uri}" does not exist`, { cause: e });
  if (code === 'ELOOP') return new MlsecopsError('PATH_OUTSIDE_ROOT', `"${uri}" is a symlink loop`, { cause: e });
  return new MlsecopsError('IO_ERROR', `cannot read "${uri}": ${code ?? String(e)}`, { cause: e });
}
