import { describe, expect, it } from "vitest";
import { planRunTasks, syncEnd } from "./run-plan";
import { SYNC_PLAN } from "./plan";

const NOW = Date.parse("2026-06-15T12:03:30.000Z");
const DAY = 86_400_000;

describe("planRunTasks", () => {
  const tasks = planRunTasks({ nowMs: NOW, historyDays: 548 });

  it("ends every window at one whole minute a few minutes before Amazon's now", () => {
    expect(syncEnd(NOW).toISOString()).toBe("2026-06-15T11:58:00.000Z");
    for (const task of tasks) expect(task.windowEnd <= "2026-06-15T11:58:00.000Z").toBe(true);
  });

  it("asks for 18 months of a windowed source in one window when Amazon takes it", () => {
    const ledger = tasks.filter((t) => t.source === "ledger-detail");
    expect(ledger).toEqual([{ source: "ledger-detail", windowStart: new Date(syncEnd(NOW).getTime() - 548 * DAY).toISOString(), windowEnd: syncEnd(NOW).toISOString() }]);
  });

  it("cuts windowed sources into contiguous windows no larger than Amazon accepts", () => {
    for (const entry of SYNC_PLAN) {
      if (entry.kind !== "report" && entry.kind !== "api") continue;
      const mine = tasks.filter((t) => t.source === entry.source);
      expect(mine.length, entry.source).toBe(Math.ceil(548 / entry.maxWindowDays));
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.windowStart).toBe(mine[i - 1]!.windowEnd);
      for (const t of mine) expect(Date.parse(t.windowEnd) - Date.parse(t.windowStart!)).toBeLessThanOrEqual(entry.maxWindowDays * DAY);
    }
  });

  it("plans one task per snapshot and listed source, and follows the plan's priorities", () => {
    expect(tasks.filter((t) => t.windowStart === null).map((t) => t.source)).toEqual(["fee-preview", "inventory-snapshot", "inventory-summaries", "settlements"]);
    expect(tasks[0]!.source).toBe("ledger-detail");
  });

  it("starts an incremental source at its own start, never before the history limit", () => {
    const start = new Date(NOW - 10 * DAY);
    const incremental = planRunTasks({ nowMs: NOW, historyDays: 548, startFor: (e) => (e.source === "financial-events" ? start : new Date(0)) });
    const finances = incremental.filter((t) => t.source === "financial-events");
    expect(finances).toHaveLength(1);
    expect(finances[0]!.windowStart).toBe(start.toISOString());
    const ledger = incremental.filter((t) => t.source === "ledger-detail");
    expect(ledger[0]!.windowStart).toBe(new Date(syncEnd(NOW).getTime() - 548 * DAY).toISOString());
  });
});
