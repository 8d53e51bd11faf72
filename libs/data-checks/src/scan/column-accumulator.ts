import type { ColumnSpec } from '@mlsecops/contracts';
import type { ColumnProfile } from '../profile/dataset-profile.schema';
import type { Cell } from '../reading/table-source';
import { CELL_KINDS, cellKind, inferType, isMissing, kindSatisfies, numericValue, takeParsedNumber } from './cell-kind';
import type { CellKind } from './cell-kind';
import { RowSample } from './row-sample';
import { sortedFromCounts } from './sorted-from-counts';
import { ValueReservoir } from './value-reservoir';

/** What a reference profile says a column's values look like. */
export interface ColumnExpectation {
  min?: number;
  max?: number;
  /** Values seen in the reference, for low-cardinality categorical columns. */
  categories?: ReadonlySet<string>;
}

/** Everything one streaming pass learns about a column, in memory bounded by the caps. */
export class ColumnAccumulator {
  nulls = 0;
  readonly kinds: Record<CellKind, number> = { integer: 0, number: 0, boolean: 0, datetime: 0, string: 0 };
  readonly kindRows: Record<CellKind, RowSample> = {
    integer: new RowSample(),
    number: new RowSample(),
    boolean: new RowSample(),
    datetime: new RowSample(),
    string: new RowSample(),
  };
  readonly nullRows = new RowSample();
  readonly typeMismatches = new RowSample();
  readonly outOfRange = new RowSample();
  readonly unseen = new RowSample();
  private categories: Map<string, number> | null = new Map();
  private readonly values: ValueReservoir;

  constructor(
    readonly name: string,
    readonly textCells: boolean,
    readonly spec: ColumnSpec | undefined,
    valueCap: number,
    private readonly categoryCap: number,
    private readonly expected?: ColumnExpectation,
  ) {
    this.values = new ValueReservoir(valueCap);
  }

  add(cell: Cell, row: number): void {
    if (cell === null || isMissing(cell)) {
      this.addMissing(row);
      return;
    }
    const kind = cellKind(cell, this.textCells);
    this.countKind(kind, row);
    if (kind === 'integer' || kind === 'number') {
      this.addValue((this.textCells ? takeParsedNumber() : undefined) ?? numericValue(cell), row);
    }
    if (this.spec && !kindSatisfies(kind, this.spec.type, cell)) this.typeMismatches.add(row);
    this.countCategory(typeof cell === 'string' ? cell : String(cell), row);
  }

  addMissing(row: number): void {
    this.nulls++;
    this.nullRows.add(row);
  }

  /**
   * A CSV field whose text is exactly `String(v)` (see `parseCanonicalNumber`): the same as `add(String(v))`,
   * but the string is only made while a category count needs it.
   */
  addNumber(kind: 'integer' | 'number', v: number, row: number): void {
    // Once per numeric cell of a drift pass: the kind counters directly, no switch.
    if (kind === 'integer') {
      this.kinds.integer++;
      this.kindRows.integer.add(row);
    } else {
      this.kinds.number++;
      this.kindRows.number.add(row);
    }
    this.values.add(v);
    if (this.expected !== undefined) this.checkExpected(v, row);
    // For a boolean spec, kindSatisfies accepts the cell 1 exactly when it accepts the text "1".
    if (this.spec && !kindSatisfies(kind, this.spec.type, v)) this.typeMismatches.add(row);
    if (this.categories !== null || this.expected?.categories) this.countCategory(String(v), row);
  }

  private countKind(kind: CellKind, row: number): void {
    // Constant property names keep these increments monomorphic (this runs once per cell).
    switch (kind) {
      case 'integer':
        this.kinds.integer++;
        this.kindRows.integer.add(row);
        break;
      case 'number':
        this.kinds.number++;
        this.kindRows.number.add(row);
        break;
      case 'boolean':
        this.kinds.boolean++;
        this.kindRows.boolean.add(row);
        break;
      case 'datetime':
        this.kinds.datetime++;
        this.kindRows.datetime.add(row);
        break;
      case 'string':
        this.kinds.string++;
        this.kindRows.string.add(row);
        break;
    }
  }

  private addValue(v: number, row: number): void {
    this.values.add(v);
    if (this.expected !== undefined) this.checkExpected(v, row);
  }

  private checkExpected(v: number, row: number): void {
    const e = this.expected;
    if (e?.min !== undefined && e.max !== undefined && (v < e.min || v > e.max)) this.outOfRange.add(row);
  }

  private countCategory(key: string, row: number): void {
    const known = this.expected?.categories;
    if (known && !known.has(key)) this.unseen.add(row);
    const categories = this.categories;
    if (categories !== null) {
      const n = categories.get(key);
      if (n !== undefined) categories.set(key, n + 1);
      else if (categories.size < this.categoryCap) categories.set(key, 1);
      else this.categories = null;
    }
  }

  /** Kind groups present (numbers of either kind count as one group), for the mixed-types check. */
  kindGroups(): CellKind[] {
    return CELL_KINDS.filter((k) => this.kinds[k] > 0 && !(k === 'number' && this.kinds.integer > 0));
  }

  /** Distinct non-missing values as written, or -1 when past the category cap. */
  toProfileDistinct(): number {
    return this.categories?.size ?? -1;
  }

  toProfile(rows: number, typedValues = false): ColumnProfile {
    const type = this.spec?.type ?? inferType(this.kinds);
    const profile: ColumnProfile = {
      name: this.name,
      type,
      nulls: this.nulls,
      nullRate: rows === 0 ? 0 : this.nulls / rows,
      distinct: this.categories?.size ?? this.categoryCap,
      distinctCapped: this.categories === null,
      kinds: { ...this.kinds },
    };
    if ((type === 'integer' || type === 'number') && this.values.count + this.values.nonFinite > 0) {
      // Low-cardinality columns (every value counted) skip the big sort.
      const counted =
        this.values.exact && this.categories !== null
          ? sortedFromCounts(this.categories, this.values.count)
          : undefined;
      const sorted = counted ?? this.values.sorted();
      const { mean, std } = this.values.stats();
      profile.numeric = {
        count: this.values.count,
        nonFinite: this.values.nonFinite,
        min: this.values.count > 0 ? this.values.min : null,
        max: this.values.count > 0 ? this.values.max : null,
        mean,
        std,
        exact: this.values.exact,
        values: typedValues ? sorted : Array.from(sorted),
      };
      if (this.values.exact && this.categories === null) {
        profile.distinct = countDistinct(sorted);
        profile.distinctCapped = false;
      }
    }
    if (this.categories !== null) {
      profile.categories = Object.fromEntries([...this.categories.entries()].sort((a, b) => b[1] - a[1]));
    }
    return profile;
  }
}

function countDistinct(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}
