import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPaths } from '../scanner';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'scan-tensor-data-'));
  made.push(d);
  return d;
};

// Protobuf by hand: length-delimited fields are all these models need.
const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
};
const field = (no: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([...varint((no << 3) | 2), ...varint(body.length)]), body]);
const str = (no: number, s: string): Buffer => field(no, Buffer.from(s));

/** ModelProto { graph { initializer { external_data { key: "location", value: location } } } }. */
function onnxWithExternalData(location: string): Buffer {
  const entry = Buffer.concat([str(1, 'location'), str(2, location)]);
  const tensor = Buffer.concat([str(8, 'W'), field(13, entry), Buffer.from([14 << 3, 1])]);
  return Buffer.concat([Buffer.from([0x08, 0x08]), field(7, field(5, tensor))]);
}

/** Bytes no format claims (a zero byte keeps them from looking like text). */
const rawTensorBytes = (): Buffer => Buffer.concat([Buffer.from([0, 0xfe, 0x13, 0x88]), Buffer.alloc(60, 0xab)]);

describe('tensor data a model beside it declares', () => {
  it('clears ONNX external data files the model names, and only those', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'weights'));
    writeFileSync(join(dir, 'model.onnx'), onnxWithExternalData('weights/w.bin'));
    writeFileSync(join(dir, 'weights', 'w.bin'), rawTensorBytes());
    writeFileSync(join(dir, 'weights', 'stray.bin'), rawTensorBytes());
    const report = await scanPaths([dir]);
    const by = Object.fromEntries(report.results.map((r) => [r.path.slice(dir.length + 1), r]));
    expect(by['weights/w.bin']).toMatchObject({ format: 'tensor-data', verdict: 'safe' });
    expect(by['weights/w.bin']?.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['tensor-data.declared', 'info', 'external data of the ONNX model ../model.onnx, read into tensors'],
    ]);
    // Named by no model: still unknown content, fail closed.
    expect(by['weights/stray.bin']).toMatchObject({ format: 'unknown', verdict: 'inconclusive' });
    expect(by['model.onnx']?.verdict).toBe('safe');

    // The model changes (a long-lived worker scans again): what it names now is what counts.
    writeFileSync(join(dir, 'model.onnx'), onnxWithExternalData('weights/stray.bin'));
    writeFileSync(join(dir, 'weights', 'w.bin'), rawTensorBytes());
    const again = await scanPaths([dir]);
    const formats = Object.fromEntries(again.results.map((r) => [r.path.slice(dir.length + 1), r.format]));
    expect(formats).toMatchObject({ 'weights/stray.bin': 'tensor-data', 'weights/w.bin': 'unknown' });
  });

  it('still scans a declared data file by its content: a pickle there is a pickle', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.onnx'), onnxWithExternalData('model.onnx.data'));
    writeFileSync(join(dir, 'model.onnx.data'), Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1'));
    const report = await scanPaths([dir]);
    const data = report.results.find((r) => r.path.endsWith('model.onnx.data'));
    expect(data).toMatchObject({ format: 'pickle', verdict: 'unsafe' });
  });

  it('does not clear a location that escapes the model directory', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'model.onnx'), onnxWithExternalData('../outside.bin'));
    writeFileSync(join(dir, 'outside.bin'), rawTensorBytes());
    const report = await scanPaths([dir]);
    const by = Object.fromEntries(report.results.map((r) => [r.path.slice(dir.length + 1), r]));
    expect(by['outside.bin']).toMatchObject({ format: 'unknown', verdict: 'inconclusive' });
    expect(by['model/model.onnx']?.findings.map((f) => f.ruleId)).toEqual(['onnx.external-data-traversal']);
  });

  it('clears TensorFlow SavedModel variables next to saved_model.pb, and not elsewhere', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sm', 'variables'), { recursive: true });
    mkdirSync(join(dir, 'loose', 'variables'), { recursive: true });
    writeFileSync(join(dir, 'sm', 'saved_model.pb'), Buffer.from([0x08, 0x01]));
    for (const base of ['sm', 'loose']) {
      writeFileSync(join(dir, base, 'variables', 'variables.data-00000-of-00001'), rawTensorBytes());
      writeFileSync(join(dir, base, 'variables', 'variables.index'), rawTensorBytes());
    }
    const report = await scanPaths([dir]);
    const by = Object.fromEntries(report.results.map((r) => [r.path.slice(dir.length + 1), r.format]));
    expect(by).toEqual({
      'loose/variables/variables.data-00000-of-00001': 'unknown',
      'loose/variables/variables.index': 'unknown',
      'sm/saved_model.pb': 'tf-savedmodel',
      'sm/variables/variables.data-00000-of-00001': 'tensor-data',
      'sm/variables/variables.index': 'tensor-data',
    });
  });

  it('clears a TensorFlow checkpoint: the index (table magic at its end) and the data shards it names', async () => {
    const dir = tempDir();
    const magic = Buffer.from('57fb808b247547db', 'hex');
    writeFileSync(join(dir, 'ckpt-1.index'), Buffer.concat([rawTensorBytes(), magic]));
    writeFileSync(join(dir, 'ckpt-1.data-00000-of-00001'), rawTensorBytes());
    // An index without the magic, and a shard without an index: nothing declares them.
    writeFileSync(join(dir, 'fake.index'), rawTensorBytes());
    writeFileSync(join(dir, 'fake.data-00000-of-00001'), rawTensorBytes());
    writeFileSync(join(dir, 'orphan.data-00000-of-00001'), rawTensorBytes());
    const report = await scanPaths([dir]);
    const by = Object.fromEntries(report.results.map((r) => [r.path.slice(dir.length + 1), r.format]));
    expect(by).toEqual({
      'ckpt-1.data-00000-of-00001': 'tensor-data',
      'ckpt-1.index': 'tensor-data',
      'fake.data-00000-of-00001': 'unknown',
      'fake.index': 'unknown',
      'orphan.data-00000-of-00001': 'unknown',
    });
  });
});
