import { describe, expect, it } from "vitest";
import { RateLimitWaitError } from "../errors";
import { TokenBucketRateLimiter } from "./token-bucket";
import { VirtualTime } from "../../../tests/support/amazon/virtual-time";

/** Largest number of sends in any window, minus what the plan allows there (≤ 0 means never exceeded). */
function worstExcess(times: number[], rate: number, burst: number): number {
  let worst = -Infinity;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const seconds = (times[j]! - times[i]!) / 1000;
      worst = Math.max(worst, j - i + 1 - (burst + rate * seconds));
    }
  }
  return worst;
}

describe("TokenBucketRateLimiter", () => {
  it("lets the burst through at once, then paces at the plan's rate (getReport: 2/s, burst 15)", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep, safetyFactor: 1 });
    const start = vt.clock.now();
    const sent: number[] = [];
    await vt.run(
      Promise.all(
        Array.from({ length: 45 }, async () => {
          await limiter.acquire("A1", "getReport");
          sent.push(vt.clock.now());
        }),
      ),
    );
    sent.sort((a, b) => a - b);
    expect(sent.slice(0, 15).every((t) => t === start)).toBe(true);
    // 30 more at 2/s take 15 s.
    expect(sent[44]! - start).toBeCloseTo(15_000, -1);
    expect(worstExcess(sent, 2, 15)).toBeLessThanOrEqual(1e-9);
  });

  it("keeps sellers and operations apart", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep });
    const start = vt.clock.now();
    await vt.run(
      (async () => {
        for (let i = 0; i < 2; i++) await limiter.acquire("A1", "getInventorySummaries");
        await limiter.acquire("B2", "getInventorySummaries");
        await limiter.acquire("A1", "getReport");
      })(),
    );
    expect(vt.clock.now()).toBe(start);
    await vt.run(limiter.acquire("A1", "getInventorySummaries"));
    expect(vt.clock.now()).toBeGreaterThan(start);
  });

  it("empties the bucket on 429 so the next call waits a full token", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep, safetyFactor: 1 });
    await vt.run(limiter.acquire("A1", "listFinancialEvents"));
    limiter.noteThrottled("A1", "listFinancialEvents");
    const before = vt.clock.now();
    await vt.run(limiter.acquire("A1", "listFinancialEvents"));
    expect(vt.clock.now() - before).toBe(2_000); // 0.5/s
  });

  it("adopts the advertised x-amzn-RateLimit-Limit, lower or higher", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep, safetyFactor: 1 });
    limiter.noteRateLimit("A1", "getInventorySummaries", 0.5);
    expect(limiter.planOf("A1", "getInventorySummaries")).toEqual({ rate: 0.5, burst: 2 });
    const start = vt.clock.now();
    await vt.run((async () => { for (let i = 0; i < 3; i++) await limiter.acquire("A1", "getInventorySummaries"); })());
    expect(vt.clock.now() - start).toBe(2_000);
    limiter.noteRateLimit("A1", "getInventorySummaries", 10);
    const t2 = vt.clock.now();
    await vt.run(limiter.acquire("A1", "getInventorySummaries"));
    expect(vt.clock.now() - t2).toBe(100);
    limiter.noteRateLimit("A1", "getInventorySummaries", Number.NaN); // ignored
    expect(limiter.planOf("A1", "getInventorySummaries").rate).toBe(10);
  });

  it("refills below the plan by the safety factor", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep, safetyFactor: 0.5 });
    await vt.run((async () => { for (let i = 0; i < 2; i++) await limiter.acquire("A1", "getInventorySummaries"); })());
    const t = vt.clock.now();
    await vt.run(limiter.acquire("A1", "getInventorySummaries"));
    expect(vt.clock.now() - t).toBe(1_000); // 2/s × 0.5
  });

  it("refuses, without reserving, a wait longer than maxWaitMs and says when to come back", async () => {
    const vt = new VirtualTime();
    const limiter = new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep, safetyFactor: 1 });
    limiter.noteThrottled("A1", "createReport"); // empty bucket: next token in 1/0.0167 s
    const err = await vt.run(limiter.acquire("A1", "createReport", undefined, 30_000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect((err as RateLimitWaitError).retryAfterMs).toBeCloseTo(59_880, -2);
    // Nothing was reserved: after that wait the token is there at once.
    vt.advance(60_000);
    const t = vt.clock.now();
    await vt.run(limiter.acquire("A1", "createReport", undefined, 30_000));
    expect(vt.clock.now()).toBe(t);
  });
});
