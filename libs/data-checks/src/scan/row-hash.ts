import type { Cell } from '../reading/table-source';

/**
 * Hashes a row to 64 bits (two independent 32-bit hashes: FNV-1a and a Murmur-style mix) over the cells'
 * type tags and characters. Duplicate detection keeps these 8 bytes per distinct row, never the row.
 * At 10^7 distinct rows the chance of any false duplicate is about n^2 / 2^65, i.e. below 3e-6.
 */
export function hashRow(row: readonly Cell[], out: Uint32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let f = 0; f < row.length; f++) {
    const cell = row[f] ?? null;
    const s = cell === null ? '' : typeof cell === 'string' ? cell : String(cell);
    const tag = cell === null || cell === '' ? 1 : typeof cell === 'string' ? 2 : typeof cell === 'number' ? 3 : 4;
    h1 = Math.imul(h1 ^ tag, 0x01000193);
    h2 = Math.imul(h2 ^ tag, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 13;
    }
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
  }
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

/** Open-addressing set of 64-bit keys (pairs of uint32) in one typed array: 16 bytes per slot at load <= 0.5. */
export class HashSet64 {
  private slots: Uint32Array;
  private used = 0;
  private mask: number;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Adds the key; returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    // (0, 0) marks an empty slot.
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(this.slots, this.mask, hi, lo);
  }

  private insert(slots: Uint32Array, mask: number, hi: number, lo: number): boolean {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const a = slots[2 * i] ?? 0;
      const b = slots[2 * i + 1] ?? 0;
      if (a === 0 && b === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        if (slots === this.slots) this.used++;
        return true;
      }
      if (a === hi && b === lo) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const next = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i] ?? 0;
      const b = old[i + 1] ?? 0;
      if (a !== 0 || b !== 0) this.insert(next, mask, a, b);
    }
    this.slots = next;
    this.mask = mask;
  }
}
