// The sync's settings from the environment (lib/env.ts declares them).
import { env } from "../../env";
import { amazonTime } from "../amazon-time";
import type { UnitContext } from "./context";
import type { SyncConnector } from "../connector";

export function syncHistoryDays(): number {
  return env().SYNC_HISTORY_DAYS;
}

export function unitContext(connector: SyncConnector): UnitContext {
  return { connector, time: amazonTime(), budgetMs: env().SYNC_STEP_BUDGET_SECONDS * 1000 };
}
