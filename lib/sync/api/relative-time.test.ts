import { describe, expect, it } from "vitest";
import { timeAgo } from "./relative-time";

const NOW = new Date("2026-05-04T12:00:00.000Z");
const before = (ms: number) => new Date(NOW.getTime() - ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("timeAgo", () => {
  it("reads never for no time", () => {
    expect(timeAgo(null, NOW)).toBe("never");
    expect(timeAgo(undefined, NOW)).toBe("never");
  });

  it("reads just now under a minute and for a time slightly in the future", () => {
    expect(timeAgo(NOW, NOW)).toBe("just now");
    expect(timeAgo(before(59 * S + 999), NOW)).toBe("just now");
    expect(timeAgo(new Date(NOW.getTime() + 5 * S), NOW)).toBe("just now");
  });

  it("uses the largest whole unit, singular and plural, floored", () => {
    expect(timeAgo(before(M), NOW)).toBe("1 minute ago");
    expect(timeAgo(before(2 * M), NOW)).toBe("2 minutes ago");
    expect(timeAgo(before(59 * M + 59 * S), NOW)).toBe("59 minutes ago");
    expect(timeAgo(before(H), NOW)).toBe("1 hour ago");
    expect(timeAgo(before(2 * H - 1), NOW)).toBe("1 hour ago");
    expect(timeAgo(before(3 * H), NOW)).toBe("3 hours ago");
    expect(timeAgo(before(23 * H + 59 * M), NOW)).toBe("23 hours ago");
    expect(timeAgo(before(D), NOW)).toBe("1 day ago");
    expect(timeAgo(before(29 * D), NOW)).toBe("29 days ago");
    expect(timeAgo(before(30 * D), NOW)).toBe("1 month ago");
    expect(timeAgo(before(364 * D), NOW)).toBe("12 months ago");
    expect(timeAgo(before(365 * D), NOW)).toBe("1 year ago");
    expect(timeAgo(before(3 * 365 * D), NOW)).toBe("3 years ago");
  });
});
