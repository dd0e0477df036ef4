// One batch's rows turned into staged rows as they are consumed: checked and encoded (row-values.ts),
// numbered by occurrence on tables that count identical rows, or else reduced to one row per key.
import { OccurrenceCounter, hashKey } from "./occurrence-counter";
import type { StagedRow } from "./batch-encoding";
import type { RowInput, RowPreparer } from "./row-values";

export class Stager {
  private readonly his: number[] = [];
  private readonly los: number[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly preparer: RowPreparer,
    /** Set on tables whose key has `occurrence`; rows then come in line order. */
    private readonly counter: OccurrenceCounter | undefined,
  ) {}

  /**
   * Staged rows, produced lazily (the COPY path encodes them while earlier ones travel to the server).
   * With occurrences: in the order given (line order), each numbered. Without: one row per key, fed
   * from the end, a key already staged dropped, so the last row of a key wins and one INSERT never
   * meets a key twice (PostgreSQL refuses "ON CONFLICT DO UPDATE ... a second time").
   */
  *stage(rows: readonly RowInput[]): Generator<StagedRow> {
    const { preparer, counter } = this;
    if (counter) {
      for (const row of rows) {
        const staged: StagedRow = preparer.prepare(row);
        const { hi, lo } = hashKey(preparer.keyOf(staged.values));
        staged.occurrence = counter.next(hi, lo);
        this.his.push(hi);
        this.los.push(lo);
        yield staged;
      }
      return;
    }
    for (let i = rows.length - 1; i >= 0; i--) {
      const staged: StagedRow = preparer.prepare(rows[i]!);
      const key = preparer.keyOf(staged.values);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      yield staged;
    }
  }

  /** Takes back every occurrence counted so far (the batch was not stored). */
  undo(): void {
    for (let i = 0; i < this.his.length; i++) this.counter?.undo(this.his[i]!, this.los[i]!);
    this.his.length = 0;
    this.los.length = 0;
  }
}
