/** FNV-1a of buf[start, end), seeded: a map key for short operand bytes (an int32, so a small integer for V8). */
export function hashBytes(buf: Buffer, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h | 0;
}

/** True when `raw` equals buf[start, end): the check behind every hash hit. */
export function sameBytes(raw: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (raw.length !== end - start) return false;
  for (let i = start; i < end; i++) if (raw[i - start] !== buf[i]) return false;
  return true;
}
