import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanFile, scanPaths, verdictOf } from './scanner';
import { finding } from './rules';

const made: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('scanPaths', () => {
  it('expands directories, reports symlinks without following them, and summarizes verdicts', async () => {
    const dir = tempDir('scan-dir-');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'notes.md'), '# notes\n');
    writeFileSync(join(dir, 'evil.pkl'), Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1'));
    symlinkSync('/etc/passwd', join(dir, 'sub', 'link.pkl'));
    const report = await scanPaths([dir]);
    const byName = Object.fromEntries(report.results.map((r) => [r.path.slice(dir.length + 1), r]));
    expect(Object.keys(byName).sort()).toEqual(['evil.pkl', 'sub/link.pkl', 'sub/notes.md']);
    expect(byName['sub/link.pkl']?.findings.map((f) => f.ruleId)).toEqual(['archive.symlink']);
    expect(byName['sub/link.pkl']?.verdict).toBe('unsafe');
    expect(byName['evil.pkl']?.verdict).toBe('unsafe');
    expect(byName['sub/notes.md']?.verdict).toBe('safe');
    expect(report.summary).toEqual({ scanned: 3, safe: 1, unsafe: 2, inconclusive: 0 });
  });

  it('turns I/O errors into inconclusive results', async () => {
    const dir = tempDir('scan-io-');
    const result = await scanFile(join(dir, 'missing.pkl'));
    expect(result.verdict).toBe('inconclusive');
    expect(result.findings[0]?.ruleId).toBe('scan.io-error');
  });

  it('stops when the signal is aborted', async () => {
    const dir = tempDir('scan-abort-');
    const file = join(dir, 'big.pkl');
    writeFileSync(file, Buffer.concat([Buffer.from([0x80, 4]), Buffer.alloc(8 << 20, 0x4e), Buffer.from([0x2e])]));
    const ac = new AbortController();
    ac.abort();
    await expect(scanFile(file, file, { signal: ac.signal })).rejects.toThrow('scan cancelled');
  });

  it('gives the event loop turns during a long in-process scan when asked (yieldEveryMs)', async () => {
    const dir = tempDir('scan-pace-');
    const file = join(dir, 'dense.pkl');
    // BININT1 1, POP, repeated: millions of opcodes read through the stream path, no I/O waits at all.
    const body = Buffer.alloc(8 << 20);
    for (let i = 0; i + 2 < body.length; i += 3) body.set([0x4b, 1, 0x30], i);
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from([0x80, 4]),
        body.subarray(0, body.length - (body.length % 3)),
        Buffer.from([0x4e, 0x2e]),
      ]),
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const result = await scanFile(file, file, { yieldEveryMs: 5 });
      expect(result.verdict).toBe('safe');
      expect(ticks).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(timer);
    }
  });
});

describe('verdictOf', () => {
  it('ranks inconclusive over unsafe over safe and ignores low/info findings', () => {
    expect(verdictOf([])).toBe('safe');
    expect(verdictOf([finding('pickle.trailing-data', 'x', 'l')])).toBe('safe');
    expect(verdictOf([finding('pickle.global.unknown', 'x', 'l')])).toBe('unsafe');
    expect(verdictOf([finding('pickle.global.denied', 'x', 'l'), finding('pickle.parse-error', 'x', 'l')])).toBe(
      'inconclusive',
    );
  });
});
