import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as V8 from 'node:v8';
import type * as WorkerThreads from 'node:worker_threads';
import type { scanInParallel as ScanInParallel } from './parallel';
import { PICKLE_FAMILY, STRUCTURED_FAMILY, scanFamilyOf } from './scan-families';

// Helper threads run the compiled worker script, so this suite drives the build (`npm run build`, done
// by `npm test`'s set-up); from TypeScript sources everything would run on this thread.
const compiled = join(__dirname, '..', 'dist', 'parallel.js');
const built = existsSync(compiled) && existsSync(join(__dirname, '..', 'dist', 'scan-worker.js'));
// The module objects themselves (an ES namespace import is frozen): the test must see the compiled
// code's `new Worker`.
const load = createRequire(__filename);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scan-families-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function safetensors(dataBytes: number, endOffset: number): Buffer {
  const header = Buffer.from(
    JSON.stringify({ t: { dtype: 'F32', shape: [dataBytes / 4], data_offsets: [0, endOffset] } }),
  );
  const len = Buffer.alloc(8);
  len.writeUInt32LE(header.length, 0);
  return Buffer.concat([len, header, Buffer.alloc(dataBytes)]);
}

/**
 * The compiled scanInParallel, with spies on the Worker constructor (workers still start) and on V8's
 * flag setter (not applied: the flag is process-wide; only when it is asked for is checked).
 */
function compiledWithSpies(): {
  scanInParallel: typeof ScanInParallel;
  spawn: jest.SpyInstance;
  setFlags: jest.SpyInstance;
} {
  const { scanInParallel } = load(compiled) as { scanInParallel: typeof ScanInParallel };
  const workerThreads = load('node:worker_threads') as typeof WorkerThreads;
  const Original = workerThreads.Worker;
  const spawn = jest
    .spyOn(workerThreads, 'Worker')
    .mockImplementation((...args: ConstructorParameters<typeof Original>) => new Original(...args));
  const setFlags = jest.spyOn(load('node:v8') as typeof V8, 'setFlagsFromString').mockImplementation(() => undefined);
  return { scanInParallel, spawn, setFlags };
}

describe('scanFamilyOf', () => {
  it('schedules structured formats apart from pickles, and anything unknown as a pickle', () => {
    for (const p of ['m.onnx', 'saved_model.pb', 'x.KERAS', 'w.h5', 'w.safetensors', 'l.gguf', 'c.json'])
      expect(scanFamilyOf(p)).toBe(STRUCTURED_FAMILY);
    for (const p of ['m.pt', 'm.pkl', 'm.joblib', 'a.npy', 'a.npz', 'weights.bin', 'model', 'dir.onnx/data.pkl'])
      expect(scanFamilyOf(p)).toBe(PICKLE_FAMILY);
  });
});

(built ? describe : describe.skip)('scanInParallel on a mixed directory', () => {
  it('gives the structured files to a helper at once and reports every file, in order, as one thread does', async () => {
    // 120 files of each family, every tenth one bad, named so that the families alternate.
    for (let i = 0; i < 120; i++) {
      const bad = i % 10 === 9;
      const n = String(i).padStart(3, '0');
      writeFileSync(
        join(dir, `${n}-a.pkl`),
        Buffer.from(bad ? "cos\nsystem\n(S'id'\ntR." : '\x80\x04K\x01.', 'latin1'),
      );
      writeFileSync(join(dir, `${n}-b.safetensors`), safetensors(16, bad ? 32 : 16));
    }
    const { scanInParallel, spawn, setFlags } = compiledWithSpies();
    try {
      const split = await scanInParallel([dir], { workers: 2, tierUpBudget: 1_000_000 });
      expect(spawn).toHaveBeenCalledTimes(1);
      // The budget is raised once, after the helper booted (under a changed flag V8 rejects Node's code
      // cache and the helper would compile Node's internals from scratch).
      expect(setFlags.mock.calls).toEqual([['--interrupt-budget=1000000']]);
      expect(setFlags.mock.invocationCallOrder[0]).toBeGreaterThan(spawn.mock.invocationCallOrder[0] as number);
      const alone = await scanInParallel([dir], { workers: 1 });
      expect(spawn).toHaveBeenCalledTimes(1);

      expect(split).toEqual(alone);
      expect(split.results.map((r) => r.path)).toEqual(alone.results.map((r) => r.path).sort());
      expect(split.summary).toEqual({ scanned: 240, safe: 216, unsafe: 12, inconclusive: 12 });
      const bad = split.results.filter((r) => r.verdict !== 'safe');
      expect(new Set(bad.map((r) => r.findings[0]?.ruleId))).toEqual(
        new Set(['pickle.global.denied', 'safetensors.invalid']),
      );
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('gives a file over 8 MiB to a helper and raises the budget only once that helper has booted', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(9 << 20, 0x41));
    const { scanInParallel, spawn, setFlags } = compiledWithSpies();
    try {
      const report = await scanInParallel([big], { workers: 2, tierUpBudget: 500_000 });
      expect(report.summary.scanned).toBe(1);
      expect(spawn).toHaveBeenCalledTimes(1);
      expect(setFlags.mock.calls).toEqual([['--interrupt-budget=500000']]);
      expect(setFlags.mock.invocationCallOrder[0]).toBeGreaterThan(spawn.mock.invocationCallOrder[0] as number);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
