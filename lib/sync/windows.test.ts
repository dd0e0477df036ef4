import { describe, expect, it } from "vitest";
import { planWindows, splitWindow, windowInWords, windowLabel } from "./windows";

const at = (iso: string) => new Date(iso);

describe("sync windows", () => {
  it("cuts a span into consecutive windows of the largest size, the last one short", () => {
    const windows = planWindows(at("2025-01-01T00:00:00Z"), at("2025-03-15T00:00:00Z"), 30);
    expect(windows).toEqual([
      { start: "2025-01-01T00:00:00.000Z", end: "2025-01-31T00:00:00.000Z" },
      { start: "2025-01-31T00:00:00.000Z", end: "2025-03-02T00:00:00.000Z" },
      { start: "2025-03-02T00:00:00.000Z", end: "2025-03-15T00:00:00.000Z" },
    ]);
  });

  it("asks for one window when the source accepts the whole span", () => {
    expect(planWindows(at("2025-06-01T00:00:00Z"), at("2026-12-01T00:00:00Z"), 550)).toHaveLength(1);
    expect(planWindows(at("2025-06-01T00:00:00Z"), at("2025-06-01T00:00:00Z"), 30)).toEqual([]);
  });

  it("splits a refused window in halves that cover it exactly, until the smallest size", () => {
    const window = { start: "2025-01-01T00:00:00.000Z", end: "2025-01-09T00:00:00.000Z" };
    const halves = splitWindow(window, 1)!;
    expect(halves[0]).toEqual({ start: window.start, end: "2025-01-05T00:00:00.000Z" });
    expect(halves[1]).toEqual({ start: "2025-01-05T00:00:00.000Z", end: window.end });
    expect(splitWindow({ start: "2025-01-01T00:00:00.000Z", end: "2025-01-02T12:00:00.000Z" }, 1)).toBeNull();
  });

  it("names windows for step names and for sellers", () => {
    const w = { start: "2025-01-01T00:00:00.000Z", end: "2025-07-01T00:00:00.000Z" };
    expect(windowLabel(w)).toBe("2025-01..2025-06");
    expect(windowInWords(w)).toBe("Jan-Jun 2025");
    expect(windowInWords({ start: "2024-11-01T00:00:00.000Z", end: "2025-03-01T00:00:00.000Z" })).toBe("Nov 2024-Feb 2025");
    expect(windowLabel({ start: "2025-03-01T00:00:00.000Z", end: "2025-03-20T00:00:00.000Z" })).toBe("2025-03");
  });
});
