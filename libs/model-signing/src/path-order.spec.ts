import { comparePosixPaths, sortByPosixPath } from './path-order';

/** The definition spelled out: component by component, each by its UTF-8 bytes, shorter path first on a tie. */
function byComponents(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = Buffer.compare(Buffer.from(pa[i] ?? ''), Buffer.from(pb[i] ?? ''));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

describe('path order', () => {
  it('sorts by component like the reference, with one key per name', () => {
    const alphabet = ['a', 'b', '-', '.', ' ', '/', 'é', '模', '😀', '\uffff', '\u0001'];
    let seed = 7;
    const pick = (): string => alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length] ?? 'a';
    const names = Array.from({ length: 2000 }, () => {
      const n = Array.from({ length: 1 + (seed % 6) }, pick).join('');
      return n.replace(/\/+/g, '/').replace(/^\/|\/$/g, '') || 'x';
    });
    const expected = [...names].sort(byComponents);
    expect(sortByPosixPath(names, (n) => n)).toEqual(expected);
    expect([...names].sort(comparePosixPaths)).toEqual(expected);
    expect(sortByPosixPath(['a-b/c', 'a/b', 'a', 'a/b/c', 'ab'], (n) => n)).toEqual([
      'a',
      'a/b',
      'a/b/c',
      'a-b/c',
      'ab',
    ]);
  });
});
