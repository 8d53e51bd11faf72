/**
 * Orders POSIX relative paths component by component, each component by Unicode code point (compared
 * as UTF-8 bytes, which preserves code-point order). This is the order the reference implementation
 * (`sorted()` over `PurePosixPath`) lists resources in, so our manifests and root digests are
 * byte-identical to its own: `a/b` sorts before `a-b/c` although `-` < `/`.
 */
export function comparePosixPaths(a: string, b: string): number {
  return Buffer.compare(posixOrderKey(a), posixOrderKey(b));
}

/**
 * The UTF-8 bytes of a path with each `/` turned into NUL, the one byte no component contains and that
 * sorts below all others: byte order of these keys is the component order of {@link comparePosixPaths}
 * (a component that is a prefix of another sorts first, and so does a path that is a prefix of another).
 */
function posixOrderKey(path: string): Buffer {
  return Buffer.from(path.replaceAll('/', '\0'), 'utf8');
}

/** Sorts items by {@link comparePosixPaths} of their names, computing each name's key once. */
export function sortByPosixPath<T>(items: readonly T[], nameOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, key: posixOrderKey(nameOf(item)) }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.item);
}
