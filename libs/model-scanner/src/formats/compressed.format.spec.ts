import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { generatedFixtures, removeGeneratedFixtures } from '../fixtures.test-helpers';
import { BombError } from '../io/blob';
import { scanFile } from '../scanner';
import { bzip2Decode } from './bzip2.codec';
import { CodecError, decodeBlock, lz4Decode, xxh32 } from './lz4.codec';
import { codecOf } from './compressed.format';

afterAll(removeGeneratedFixtures);

async function* chunks(buf: Buffer, size: number): AsyncIterable<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield await Promise.resolve(buf.subarray(at, at + size));
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

function python(code: string): Buffer {
  return execFileSync('python3', ['-c', `import sys, bz2, lzma\n${code}`], { maxBuffer: 64 << 20 });
}

describe('lz4', () => {
  it('computes xxHash32 like the reference vectors', () => {
    expect(xxh32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('copies overlapping matches out of the previous block (linked blocks)', () => {
    const dst = Buffer.alloc(4 + 16);
    dst.write('abcd');
    // 0 literals + match(len 9, offset 4), then the last sequence: literal "x".
    const end = decodeBlock(Buffer.from([0x05, 0x04, 0x00, 0x10, 0x78]), dst, 4);
    expect(dst.toString('latin1', 4, end)).toBe('abcdabcdax');
  });

  it('refuses offsets before the history and runs past the block size', () => {
    expect(() => decodeBlock(Buffer.from([0x10, 0x61, 0x09, 0x00, 0x10, 0x78]), Buffer.alloc(64), 0)).toThrow(
      CodecError,
    );
    expect(() => decodeBlock(Buffer.from([0x1f, 0x61, 0x01, 0x00, 0xff, 0x10, 0x78]), Buffer.alloc(64), 0)).toThrow(
      CodecError,
    );
  });

  it('reports a truncated frame', async () => {
    const { dir } = generatedFixtures();
    const frame = execFileSync('head', ['-c', '60', join(dir, 'benign/big_state.pkl.lz4')]);
    await expect(collect(lz4Decode(chunks(frame, 7), {}))).rejects.toThrow('unexpected end of data');
  });
});

describe('bzip2', () => {
  it('decodes concatenated streams fed in small chunks', async () => {
    const data = python("sys.stdout.buffer.write(bz2.compress(b'first ' * 1000) + bz2.compress(b'second ' * 1000))");
    const out = await collect(bzip2Decode(chunks(data, 13), 1 << 20, undefined));
    expect(out.toString()).toBe('first '.repeat(1000) + 'second '.repeat(1000));
  });

  it('stops at the output bound inside a block instead of buffering it', async () => {
    const data = python('sys.stdout.buffer.write(bz2.compress(bytes(8 << 20)))');
    await expect(collect(bzip2Decode(chunks(data, 1024), 1 << 20, undefined))).rejects.toThrow(BombError);
  });

  it('rejects a stream whose CRC does not match', async () => {
    const data = Buffer.from(python("sys.stdout.buffer.write(bz2.compress(b'payload ' * 100))"));
    data.writeUInt8((data[data.length - 2] as number) ^ 0xff, data.length - 2);
    await expect(collect(bzip2Decode(chunks(data, 64), 1 << 20, undefined))).rejects.toThrow(CodecError);
  });
});

describe('compressed streams', () => {
  it('recognises bz2, xz, lzma and lz4 headers only', () => {
    const heads = python(
      "import json\nsys.stdout.write(json.dumps([x[:16].hex() for x in [bz2.compress(b'x'), lzma.compress(b'x'), lzma.compress(b'x', format=lzma.FORMAT_ALONE)]]))",
    );
    const [bz, xz, alone] = (JSON.parse(heads.toString()) as string[]).map((h) => Buffer.from(h, 'hex'));
    expect([bz, xz, alone].map((h) => codecOf(h as Buffer))).toEqual(['bz2', 'xz', 'lzma']);
    expect(codecOf(Buffer.from('04224d1840400000', 'hex'))).toBe('lz4');
    // An EMPTY_LIST pickle and text starting with "BZh" are not compressed streams.
    expect(codecOf(Buffer.from(']q\x00(K\x01e.', 'latin1'))).toBeUndefined();
    expect(codecOf(Buffer.from('BZh9 is not a bzip2 stream'))).toBeUndefined();
  });

  it('streams content larger than the in-memory bound and still finds the payload', async () => {
    const { dir } = generatedFixtures();
    const limits = { maxInMemory: 4096 };
    const benign = await scanFile(join(dir, 'benign/big_state.pkl.lz4'), 'big_state.pkl.lz4', { limits });
    expect(benign).toMatchObject({ verdict: 'safe', format: 'pickle', findings: [] });
    const evil = await scanFile(join(dir, 'malicious/compressed_xz.joblib'), 'evil.joblib', {
      limits: { maxInMemory: 64 },
    });
    expect(evil.verdict).toBe('unsafe');
    expect(evil.findings.map((f) => f.ruleId)).toContain('pickle.global.denied');
    expect(evil.findings.find((f) => f.ruleId === 'pickle.global.denied')?.location).toContain('evil.joblib!xz');
  });

  it('bounds output by size as well as by ratio', async () => {
    const { dir } = generatedFixtures();
    const r = await scanFile(join(dir, 'benign/big_state.pkl.lz4'), 'x.lz4', {
      limits: { maxMemberInflated: 100_000 },
    });
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings.map((f) => f.ruleId)).toEqual(['archive.bomb']);
  });
});
