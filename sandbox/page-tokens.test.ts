// Page tokens on the sandbox clock (sandbox/api/page-tokens.ts): a token expires after its life in
// sandbox time, but never sooner than MIN_REAL_TOKEN_LIFE_MS of real time on a compressed clock.
import { describe, expect, it } from "vitest";
import { MIN_REAL_TOKEN_LIFE_MS, PageTokens } from "./api/page-tokens";
import { createClock } from "./clock";

function tokensAt(scale: number) {
  let real = 1_000_000;
  const clock = createClock({ scale, startMs: Date.UTC(2026, 5, 15), realNow: () => real });
  return { tokens: new PageTokens(clock), advanceRealMs: (ms: number) => (real += ms) };
}

describe("page tokens", () => {
  it("live their sandbox-time life on the real clock's pace", () => {
    const { tokens, advanceRealMs } = tokensAt(1);
    const token = tokens.issue("getInventorySummaries", { offset: 50 }, 30_000);
    advanceRealMs(29_000);
    expect(tokens.get("getInventorySummaries", token)).toMatchObject({ state: { offset: 50 } });
    advanceRealMs(2_000);
    expect(tokens.get("getInventorySummaries", token)).toBe("expired");
  });

  it("live at least the real floor on a compressed clock (30 sandbox seconds at x60 would be 0.5 s)", () => {
    const { tokens, advanceRealMs } = tokensAt(60);
    const token = tokens.issue("getInventorySummaries", { offset: 50 }, 30_000);
    advanceRealMs(MIN_REAL_TOKEN_LIFE_MS - 100);
    expect(tokens.get("getInventorySummaries", token)).toMatchObject({ state: { offset: 50 } });
    advanceRealMs(200);
    expect(tokens.get("getInventorySummaries", token)).toBe("expired");
  });

  it("keep a longer sandbox life when it is more than the floor", () => {
    const { tokens, advanceRealMs } = tokensAt(60);
    // 25 sandbox minutes at x60: 25 real seconds.
    const token = tokens.issue("listFinancialEvents", {}, 25 * 60_000);
    advanceRealMs(24_000);
    expect(tokens.get("listFinancialEvents", token)).not.toBe("expired");
    advanceRealMs(2_000);
    expect(tokens.get("listFinancialEvents", token)).toBe("expired");
  });

  it("are refused for another operation", () => {
    const { tokens } = tokensAt(1);
    const token = tokens.issue("getOrders", {}, 60_000);
    expect(tokens.get("getInventorySummaries", token)).toBe("invalid");
  });
});
