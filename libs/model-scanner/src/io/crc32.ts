import * as zlib from 'node:zlib';

// Built on first use: runtimes with zlib.crc32 (all supported ones) never need it.
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table !== undefined) return table;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  table = t;
  return t;
}

type Crc32Fn = (data: Buffer, value?: number) => number;
// zlib.crc32 exists from Node 20.15 / 22.2; fall back to a table implementation on older runtimes.
const native = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

/** Incremental CRC-32 (zip polynomial): pass the previous value to continue. */
export function crc32(data: Buffer, value = 0): number {
  if (native) return native(data, value);
  const TABLE = crcTable();
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = (TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
