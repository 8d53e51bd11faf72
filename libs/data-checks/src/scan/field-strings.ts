const SLOTS = 256;
const MAX_BYTES = 32;
/** After this many lookups, a column whose values repeat less than half the time stops interning. */
const TRIAL = 4096;

/**
 * Strings of one column's short CSV fields, interned by their bytes. A category column repeats a handful of
 * values a million times; decoding every occurrence, and hashing each new string again in the category
 * map, costs more than hashing the bytes and reusing the string made the first time. Bounded (256 slots of
 * at most 32 bytes, a collision replaces the slot) and switched off for columns whose values rarely repeat.
 * Only speed depends on it: every call returns the field's UTF-8 text.
 */
export class FieldStrings {
  private readonly hashes = new Int32Array(SLOTS);
  private readonly lengths = new Int32Array(SLOTS).fill(-1);
  private readonly bytes = new Uint8Array(SLOTS * MAX_BYTES);
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');
  private lookups = 0;
  private hits = 0;
  private interning = true;

  text(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    if (!this.interning || len > MAX_BYTES) return buf.toString('utf8', start, end);
    // FNV-1a over the bytes.
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    this.lookups++;
    if (this.lengths[slot] === len && this.hashes[slot] === h && this.sameBytes(slot * MAX_BYTES, buf, start, len)) {
      this.hits++;
      return this.strings[slot] as string;
    }
    const s = buf.toString('utf8', start, end);
    this.lengths[slot] = len;
    this.hashes[slot] = h;
    buf.copy(this.bytes, slot * MAX_BYTES, start, end);
    this.strings[slot] = s;
    if (this.lookups === TRIAL && this.hits * 2 < TRIAL) this.interning = false;
    return s;
  }

  private sameBytes(at: number, buf: Buffer, start: number, len: number): boolean {
    const bytes = this.bytes;
    for (let i = 0; i < len; i++) if (bytes[at + i] !== buf[start + i]) return false;
    return true;
  }
}
