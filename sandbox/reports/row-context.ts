// What a row producer is given. Its own module because both report-rows.ts and aggregate-rows.ts take
// it and report-rows.ts imports the aggregate producers.
import type { SettlementPeriod } from "../generator/settlements";
import type { World } from "../generator/world";

export interface RowContext {
  w: World;
  fromMs: number;
  toMs: number;
  options: Record<string, string>;
  /** Settlement reports are generated per period rather than per request window. */
  settlement?: SettlementPeriod;
}
