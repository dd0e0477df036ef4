import { describe, expect, it } from "vitest";
import { cronPeriodMs } from "./schedule";

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
