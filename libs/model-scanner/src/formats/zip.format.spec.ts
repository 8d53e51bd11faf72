import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import { BufferBlob } from '../io/blob';
import type { Blob } from '../io/blob';
import { DEFAULT_SCAN_LIMITS } from '../scan-context';
import type { ScanContext } from '../scan-context';
import { scanBlob } from '../detect';
import type { ModelFinding } from '../scan-result';

interface Member {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** CRC written in the headers (defaults to the right one). */
  crc?: number;
}

/** A minimal zip writer: local headers, data, central directory, end record. */
function zip(members: Member[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const crc = m.crc ?? zlibCrc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(m.deflate ? 8 : 0, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(m.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}

/** A blob that counts the bytes handed out, to prove payloads are never read. */
class CountingBlob implements Blob {
  bytesRead = 0;
  private readonly inner: BufferBlob;
  constructor(buf: Buffer) {
    this.inner = new BufferBlob(buf);
  }
  get size(): number {
    return this.inner.size;
  }
  async *stream(offset = 0, len = this.size - offset): AsyncIterable<Buffer> {
    for await (const c of this.inner.stream(offset, len)) {
      this.bytesRead += c.length;
      yield c;
    }
  }
  async read(offset: number, len: number): Promise<Buffer> {
    const b = await this.inner.read(offset, len);
    this.bytesRead += b.length;
    return b;
  }
}

async function scan(blob: Blob, name: string): Promise<ModelFinding[]> {
  const findings: ModelFinding[] = [];
  const ctx: ScanContext = {
    findings,
    limits: DEFAULT_SCAN_LIMITS,
    depth: 0,
    inflated: { total: 0 },
    hooks: {},
    scanNested: scanBlob,
  };
  await scanBlob(blob, name, ctx, name);
  return findings;
}

/** A protocol-2 pickle of `n` harmless tuples, about 12 bytes each. */
function benignPickle(n: number): Buffer {
  const body = Buffer.alloc(n * 12);
  for (let i = 0; i < n; i++) Buffer.from([0x4a, 1, 0, 0, 0, 0x4a, 2, 0, 0, 0, 0x86, 0x30]).copy(body, i * 12);
  return Buffer.concat([Buffer.from([0x80, 2, 0x4e]), body, Buffer.from('.')]);
}

const floats = (bytes: number): Buffer => {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i + 4 <= bytes; i += 4) b.writeFloatLE(0.1 + i, i);
  return b;
};
const rce = Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1');

describe('zip members', () => {
  it('checks the CRC of a pickle member whatever its size', async () => {
    const data = benignPickle(20_000);
    const findings = await scan(new BufferBlob(zip([{ name: 'archive/data.pkl', data, crc: 0x1234 }])), 'm.pt');
    expect(findings.map((f) => f.ruleId)).toContain('zip.crc-mismatch');
  });

  it('reads only the headers and first bytes of tensor storages, so their CRC is not checked', async () => {
    const storages = Array.from({ length: 8 }, (_, i) => ({
      name: `archive/data/${i}`,
      data: floats(256 << 10),
      crc: 0xdead,
    }));
    const blob = new CountingBlob(zip([{ name: 'archive/data.pkl', data: benignPickle(10) }, ...storages]));
    const findings = await scan(blob, 'm.pt');
    expect(findings).toEqual([]);
    expect(blob.bytesRead).toBeLessThan(32 << 10);
  });

  it('still parses a pickle hidden in a storage member, and then checks its CRC', async () => {
    const hidden = Buffer.concat([rce, floats(64 << 10)]);
    const findings = await scan(
      new BufferBlob(
        zip([
          { name: 'archive/data.pkl', data: benignPickle(10) },
          { name: 'archive/data/0', data: hidden, crc: 7 },
        ]),
      ),
      'm.pt',
    );
    const rules = findings.map((f) => f.ruleId);
    expect(rules).toContain('pickle.global.denied');
    expect(rules).toContain('zip.crc-mismatch');
  });

  it('checks small members whatever they hold', async () => {
    const findings = await scan(
      new BufferBlob(
        zip([
          { name: 'archive/data.pkl', data: benignPickle(10) },
          { name: 'archive/version', data: Buffer.from('3\n'), crc: 1 },
        ]),
      ),
      'm.pt',
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['zip.crc-mismatch']);
  });

  it('inflates only the .npy header of a numeric npz member, and all of an object array', async () => {
    const header = (descr: string): Buffer => {
      const h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (65536,), }`.padEnd(117, ' ') + '\n';
      return Buffer.concat([
        Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
        Buffer.from([h.length, 0]),
        Buffer.from(h, 'latin1'),
      ]);
    };
    const numeric = new CountingBlob(
      zip([{ name: 'a.npy', data: Buffer.concat([header('<f4'), floats(256 << 10)]), deflate: true }]),
    );
    expect(await scan(numeric, 'a.npz')).toEqual([]);
    expect(numeric.bytesRead).toBeLessThan(24 << 10);
    const objects = await scan(
      new BufferBlob(zip([{ name: 'o.npy', data: Buffer.concat([header('|O'), rce]), deflate: true }])),
      'o.npz',
    );
    expect(objects.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['numpy.object-array', 'pickle.global.denied']),
    );
  });

  it('reports a deflated member that inflates past its declared size as a bomb', async () => {
    const data = Buffer.alloc(1 << 20);
    const archive = zip([{ name: 'x.bin', data, deflate: true }]);
    // Declare 1 KiB instead of 1 MiB in both headers (the CRC is of the full content).
    const cdAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE(1024, 22);
    archive.writeUInt32LE(1024, cdAt + 24);
    const findings = await scan(new BufferBlob(archive), 'x.zip');
    expect(findings.map((f) => f.ruleId)).toContain('archive.bomb');
  });
});
