/**
 * Orders POSIX relative paths component by component, each component by Unicode code point (compared
 * as UTF-8 bytes, which preserves code-point order). This is the order the reference implementation
 * (`sorted()` over `PurePosixPath`) lists resources in, so our manifests and root digests are
 * byte-identical to its own: `a/b` sorts before `a-b/c` although `-` < `/`.
 */
export function comparePosixPaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = Buffer.compare(Buffer.from(pa[i] ?? '', 'utf8'), Buffer.from(pb[i] ?? '', 'utf8'));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}
