import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactRoot } from './artifact-root';
import { sha256File } from './sha256-file';

describe('ArtifactRoot', () => {
  let base: string;
  let root: ArtifactRoot;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'artifact-root-'));
    await mkdir(join(base, 'allowed/sub'), { recursive: true });
    await writeFile(join(base, 'allowed/sub/data.csv'), 'a,b\n1,2\n');
    await writeFile(join(base, 'secret.txt'), 'top secret');
    await symlink(join(base, 'secret.txt'), join(base, 'allowed/escape.txt'));
    await symlink(join(base, 'allowed/sub/data.csv'), join(base, 'allowed/inside-link.csv'));
    root = new ArtifactRoot(join(base, 'allowed'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('resolves relative paths and file: URIs inside the root', async () => {
    await expect(root.resolve('sub/data.csv')).resolves.toMatchObject({ kind: 'file', sizeBytes: 8 });
    const url = pathToFileURL(join(base, 'allowed/sub/data.csv')).href;
    await expect(root.resolve(url)).resolves.toMatchObject({ kind: 'file' });
    await expect(root.resolve('inside-link.csv')).resolves.toMatchObject({ kind: 'file' });
    await expect(root.resolve('sub')).resolves.toMatchObject({ kind: 'directory' });
  });

  it.each([
    ['dot-dot traversal', '../secret.txt'],
    ['nested traversal', 'sub/../../secret.txt'],
    ['absolute file URI elsewhere', 'file:///etc/passwd'],
    ['symlink escape', 'escape.txt'],
  ])('refuses %s with PATH_OUTSIDE_ROOT', async (_label, uri) => {
    await expect(root.resolve(uri)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
  });

  it('names unsupported schemes and missing files', async () => {
    await expect(root.resolve('s3://bucket/key')).rejects.toMatchObject({ code: 'UNSUPPORTED_URI' });
    await expect(root.resolve('sub/nope.csv')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(root.resolve('sub/\0x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('streams SHA-256 with progress reports', async () => {
    const big = join(base, 'allowed/big.bin');
    await writeFile(big, Buffer.alloc(3 * 1024 * 1024, 7));
    const reports: number[] = [];
    const result = await sha256File(big, {
      progressEveryBytes: 1024 * 1024,
      onProgress: (p) => reports.push(p.bytesRead),
    });
    expect(result.sizeBytes).toBe(3 * 1024 * 1024);
    // 3 MiB of 0x07, computed independently with coreutils sha256sum.
    expect(result.sha256).toBe('fadc8b76fb9e2447c118e8b612cb1280904241214f6b9b5b7010f445bcc3d10b');
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const small = await sha256File(join(base, 'allowed/sub/data.csv'));
    // sha256 of "a,b\n1,2\n", computed independently with `printf 'a,b\n1,2\n' | sha256sum`.
    expect(small.sha256).toBe('492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470');
  });
});
