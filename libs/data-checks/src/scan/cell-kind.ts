import type { ColumnType } from '@mlsecops/contracts';
import type { Cell } from '../reading/table-source';

/** What a non-missing cell looks like. `number` means a non-integer number (or NaN/inf spelled out). */
export type CellKind = 'integer' | 'number' | 'boolean' | 'datetime' | 'string';
export const CELL_KINDS: readonly CellKind[] = ['integer', 'number', 'boolean', 'datetime', 'string'];

const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** True for a missing value: null, or an empty CSV field. */
export function isMissing(cell: Cell): boolean {
  return cell === null || cell === '';
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
let parsed: number | undefined;

/**
 * The value of the field {@link textKind} last classified as a number, when it could be read during the
 * scan (at most 15 significant digits, no exponent): mantissa / 10^k is then exactly what `Number()` gives,
 * because both operands are exact doubles and one IEEE division rounds correctly. Undefined otherwise.
 */
export function takeParsedNumber(): number | undefined {
  const v = parsed;
  parsed = undefined;
  return v;
}

/** Classifies a CSV field by content, the way pandas would type the column it belongs to. */
export function textKind(s: string): CellKind {
  parsed = undefined;
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  let negative = false;
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    i = 1;
    c = s.charCodeAt(1);
  }
  let digits = 0;
  let mant = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
    mant = mant * 10 + (c - 0x30);
    i++;
    digits++;
  }
  if (i === n && digits > 0) {
    if (digits <= 15) parsed = negative ? -mant : mant;
    return 'integer';
  }
  let fraction = 0;
  if (c === 0x2e) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
      mant = mant * 10 + (c - 0x30);
      i++;
      fraction++;
    }
  }
  if (digits + fraction > 0) {
    if (i === n) {
      if (digits + fraction <= 15) {
        const v = mant / (POW10[fraction] as number);
        parsed = negative ? -v : v;
      }
      return 'number';
    }
    if (c === 0x65 || c === 0x45) {
      i++;
      c = s.charCodeAt(i);
      if (c === 0x2b || c === 0x2d) i++;
      let exp = 0;
      while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
        i++;
        exp++;
      }
      if (i === n && exp > 0) return 'number';
    }
  }
  if (n <= 9 && NON_FINITE.test(s)) return 'number';
  if (n === 4 || n === 5) {
    const lower = s.toLowerCase();
    if (lower === 'true' || lower === 'false') return 'boolean';
  }
  if (n >= 10 && n <= 35 && DATETIME.test(s) && !Number.isNaN(Date.parse(s))) return 'datetime';
  return 'string';
}

/** Classifies a non-missing cell; typed cells (JSON, Parquet) keep their own type. */
export function cellKind(cell: string | number | boolean, textCells: boolean): CellKind {
  if (typeof cell === 'number') return Number.isInteger(cell) ? 'integer' : 'number';
  if (typeof cell === 'boolean') return 'boolean';
  if (textCells) return textKind(cell);
  return DATETIME.test(cell) && !Number.isNaN(Date.parse(cell)) ? 'datetime' : 'string';
}

/** Numeric value of a cell of kind integer or number. */
export function numericValue(cell: string | number | boolean): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  const v = Number(cell);
  if (!Number.isNaN(v)) return v;
  const lower = cell.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** Whether a cell of `kind` satisfies a declared column type. */
export function kindSatisfies(kind: CellKind, type: ColumnType, cell: string | number | boolean): boolean {
  switch (type) {
    case 'string':
      return true;
    case 'integer':
      return kind === 'integer';
    case 'number':
      return kind === 'integer' || kind === 'number';
    case 'boolean':
      return kind === 'boolean' || (kind === 'integer' && (cell === '0' || cell === '1' || cell === 0 || cell === 1));
    case 'datetime':
      return kind === 'datetime';
  }
}

/** The column type a set of observed kinds implies (string when they disagree). */
export function inferType(counts: Readonly<Record<CellKind, number>>): ColumnType {
  const present = CELL_KINDS.filter((k) => counts[k] > 0);
  if (present.length === 0) return 'string';
  if (present.every((k) => k === 'integer')) return 'integer';
  if (present.every((k) => k === 'integer' || k === 'number')) return 'number';
  if (present.every((k) => k === 'boolean')) return 'boolean';
  if (present.every((k) => k === 'datetime')) return 'datetime';
  return 'string';
}
