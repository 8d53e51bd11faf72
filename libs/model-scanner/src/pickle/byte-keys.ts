/**
 * FNV-1a of the length and of up to 16 bytes at each end of buf[start, end), seeded: a map key for
 * operand bytes (an int32, a small integer for V8). Hits are always checked in full with `sameBytes`.
 */
export function hashBytes(buf: Buffer, start: number, end: number, seed = 0x811c9dc5): number {
  let h = Math.imul(seed ^ (end - start), 0x01000193);
  const headEnd = Math.min(end, start + 16);
  for (let i = start; i < headEnd; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  for (let i = Math.max(headEnd, end - 16); i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h | 0;
}

/** True when `raw` equals buf[start, end): the check behind every hash hit. */
export function sameBytes(raw: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (raw.length !== end - start) return false;
  for (let i = start; i < end; i++) if (raw[i - start] !== buf[i]) return false;
  return true;
}
