import { describe, expect, it } from "vitest";
import { cronPeriodMs, spreadPlan } from "./schedule";

const HOUR = 3_600_000;

describe("cronPeriodMs", () => {
  it("reads the default schedule as six hours", () => {
    expect(cronPeriodMs("0 */6 * * *")).toBe(6 * HOUR);
  });
  it("takes the longest gap of an uneven schedule", () => {
    expect(cronPeriodMs("0 9,21 * * *")).toBe(12 * HOUR);
    expect(cronPeriodMs("0 8 * * 1-5")).toBe(72 * HOUR);
  });
  it("accepts Inngest's time-zone prefix", () => {
    expect(cronPeriodMs("TZ=Europe/Berlin 0 3 * * *")).toBe(24 * HOUR);
  });
  it("rejects what is not a cron expression", () => {
    expect(() => cronPeriodMs("every six hours")).toThrow();
  });
});

describe("spreadPlan", () => {
  const ids = Array.from({ length: 95 }, (_, i) => `seller_${i}`);

  it("sends every seller once, in at most 30 batches over a quarter of the period, capped at 30 minutes", () => {
    const plan = spreadPlan(ids, 6 * HOUR);
    expect(plan).toHaveLength(30);
    expect(plan.flatMap((b) => b.sellerConnectionIds).sort()).toEqual([...ids].sort());
    expect(plan[0]!.atMs).toBe(0);
    expect(plan.at(-1)!.atMs).toBe(Math.round((30 * 60_000 * 29) / 30));
    const hourly = spreadPlan(ids, HOUR);
    expect(hourly.at(-1)!.atMs).toBe(Math.round((15 * 60_000 * 29) / 30));
  });

  it("keeps a seller's place from tick to tick, whatever order the ids come in", () => {
    const reversed = spreadPlan([...ids].reverse(), 6 * HOUR);
    expect(reversed).toEqual(spreadPlan(ids, 6 * HOUR));
  });

  it("plans nothing without sellers, and one batch at once for one seller", () => {
    expect(spreadPlan([], 6 * HOUR)).toEqual([]);
    expect(spreadPlan(["only"], 6 * HOUR)).toEqual([{ atMs: 0, sellerConnectionIds: ["only"] }]);
  });
});
