// Typings for the two untyped decompressors the scanner uses (see docs/adr/0104), limited to the calls it makes.

declare module 'lzma-native' {
  import type { Transform } from 'node:stream';

  export interface LzmaError extends Error {
    /** liblzma's return code name, e.g. LZMA_DATA_ERROR, LZMA_MEMLIMIT_ERROR. */
    name: string;
    code: number;
  }
  /** `autoDecoder` reads both `.xz` and legacy `.lzma` (LZMA_Alone); `memlimit` bounds the dictionary. */
  export function createStream(
    coder: 'autoDecoder',
    options: { memlimit?: number; flags?: number; synchronous?: boolean },
  ): Transform;
  export const LZMA_CONCATENATED: number;
}

declare module 'seek-bzip' {
  /** Synchronous byte source; seek-bzip's own Stream interface. */
  interface InputStream {
    readByte(): number;
    read(buffer: Buffer, offset: number, length: number): number;
    eof(): boolean;
  }
  interface OutputStream {
    writeByte(byte: number): void;
  }
  /**
   * seek-bzip's decoder. Its public `decode` is whole-buffer and synchronous; the scanner drives the
   * same per-block steps `decode` uses so that one block (at most ~46 MB out) is decoded at a time.
   */
  class Bunzip {
    constructor(input: InputStream, output: OutputStream);
    reader: { read(bits: number): number };
    streamCRC: number;
    _init_block(): boolean;
    _read_bunzip(): number;
    _start_bunzip(input: InputStream, output: OutputStream): void;
  }
  export = Bunzip;
}
