import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashPool, hashFiles } from './hash-pool';
import { tempDir as newTempDir } from './signing.test-helpers';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A file of `size` bytes whose content varies along its length, so a misplaced chunk changes the digest. */
function writeVaried(path: string, size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) body.writeUInt32LE(i, i);
  writeFileSync(path, body);
  return body;
}

describe('HashPool', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = newTempDir('hash-pool-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('hashes one large file with reads ahead on the spare core, and with plain reads on one core', async () => {
    const path = join(tempDir(), 'big');
    const body = writeVaried(path, 9 * 1024 * 1024 + 4093);
    let progress = 0;
    const ahead = await hashFiles([{ path, sizeBytes: body.length }], {
      concurrency: 2,
      onProgress: (n) => (progress += n),
    });
    const plain = await hashFiles([{ path, sizeBytes: body.length }], { concurrency: 1, chunkSize: 64 * 1024 });
    expect(ahead).toEqual([sha256(body)]);
    expect(plain).toEqual([sha256(body)]);
    expect(progress).toBe(body.length);
  });

  it('hashes a file that is larger than its listed size to its end', async () => {
    const path = join(tempDir(), 'grown');
    const body = writeVaried(path, 5 * 1024 * 1024);
    expect(await hashFiles([{ path, sizeBytes: 1024 }], { concurrency: 2 })).toEqual([sha256(body)]);
  });

  it('stats paths in the workers and reports files, links, other entries and missing paths', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'four');
    symlinkSync(join(dir, 'f'), join(dir, 'l'));
    mkdirSync(join(dir, 'd'));
    const pool = new HashPool({ concurrency: 2 });
    try {
      const paths = ['f', 'l', 'd', 'gone'].map((n) => join(dir, n));
      const { sizes, kinds } = await pool.stat(paths);
      expect(kinds).toEqual(['file', 'symlink', 'other', 'missing']);
      expect(sizes[0]).toBe(4);
      // The same workers then hash.
      expect(await pool.hash([{ path: join(dir, 'f'), sizeBytes: 4 }])).toEqual([sha256(Buffer.from('four'))]);
    } finally {
      await pool.close();
    }
  });

  it('stops at an abort with the signal reason, and a closed pool refuses work', async () => {
    const path = join(tempDir(), 'big');
    const body = writeVaried(path, 32 * 1024 * 1024);
    const controller = new AbortController();
    const pool = new HashPool({ concurrency: 2 });
    const hashing = pool.hash([{ path, sizeBytes: body.length }], { signal: controller.signal });
    controller.abort(new Error('stop now'));
    await expect(hashing).rejects.toThrow('stop now');
    await pool.close();
    await expect(pool.hash([{ path, sizeBytes: body.length }])).rejects.toThrow();
  });

  it('keeps every digest in its place across thousands of small files', async () => {
    const dir = tempDir();
    const jobs = Array.from({ length: 3000 }, (_, i) => {
      const body = Buffer.alloc(i % 97 === 0 ? 2 * 1024 * 1024 + i : (i * 37) % 20_000, i % 251);
      writeFileSync(join(dir, `f${i}`), body);
      return { path: join(dir, `f${i}`), sizeBytes: body.length, expected: sha256(body) };
    });
    expect(await hashFiles(jobs, { concurrency: 3 })).toEqual(jobs.map((j) => j.expected));
  });
});
