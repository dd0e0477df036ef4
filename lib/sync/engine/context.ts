// What every unit of sync work gets: the channel's connector, Amazon's time, and how long one step may work.
import type { SyncConnector } from "../connector";
import type { AmazonTime } from "../amazon-time";

export interface UnitContext {
  connector: SyncConnector;
  time: AmazonTime;
  /** Real milliseconds one step may spend before handing over to the next step. */
  budgetMs: number;
}

/** A day as the ledger stores snapshot dates: YYYY-MM-DD (UTC). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
