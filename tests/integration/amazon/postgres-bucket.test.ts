import { describe, expect, it } from "vitest";
import { RateLimitWaitError } from "@/lib/amazon/errors";
import { TokenBucketRateLimiter } from "@/lib/amazon/rate-limit/token-bucket";
import type { RateLimiter } from "@/lib/amazon/rate-limit/rate-limiter";
import { PostgresRateLimiter, refilledTokensSql } from "@/lib/amazon/rate-limit/postgres-bucket";
import { refilledTokens } from "@/lib/amazon/rate-limit/refill";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { sellingPartnerId } from "../../support/factories";

const plan = { rate: 10, burst: 3 };
const plans = { getReport: plan };

/** Fires `calls` acquisitions split over two limiters (two app instances); returns when each was granted (ms). */
async function storm(a: RateLimiter, b: RateLimiter, seller: string, calls: number): Promise<number[]> {
  const started = performance.now();
  const granted = await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      await (i % 2 === 0 ? a : b).acquire(seller, "getReport");
      return performance.now() - started;
    }),
  );
  return granted.sort((x, y) => x - y);
}

/** The most grants seen in any window of `windowMs` that starts at a grant. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j]! - times[i]! < windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe("usage-plan limiter shared through PostgreSQL", () => {
  it("keeps two app instances together within one seller's plan", async () => {
    const seller = sellingPartnerId();
    const times = await storm(new PostgresRateLimiter({ plans }), new PostgresRateLimiter({ plans }), seller, 13);
    // Burst 3, then one every 1/rate s: in any 500 ms at most burst + 5 tokens (plus one for timer slack).
    expect(busiestWindow(times, 500)).toBeLessThanOrEqual(plan.burst + 5 + 1);
    // 13 calls need (13 - burst) refills at 10/s (0.95 safety): the last cannot come before ~1 s.
    expect(times.at(-1)!).toBeGreaterThanOrEqual(((13 - plan.burst) / plan.rate) * 1000 - 50);
  });

  it("is what the in-process limiter cannot be: two of those let twice the burst through at once", async () => {
    const seller = sellingPartnerId();
    const times = await storm(new TokenBucketRateLimiter({ plans }), new TokenBucketRateLimiter({ plans }), seller, 13);
    expect(times.filter((t) => t < 50).length).toBe(2 * plan.burst);
  });

  it("reserves nothing and says when to come back when the wait would be too long", async () => {
    const seller = sellingPartnerId();
    const limiter = new PostgresRateLimiter({ plans });
    for (let i = 0; i < plan.burst; i++) await limiter.acquire(seller, "getReport", undefined, 0);
    const refused = limiter.acquire(seller, "getReport", undefined, 10);
    await expect(refused).rejects.toBeInstanceOf(RateLimitWaitError);
    const retryAfterMs = ((await refused.catch((error: RateLimitWaitError) => error)) as RateLimitWaitError).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(1000 / (plan.rate * 0.95) + 20);
    // Nothing was reserved by the refusals: after one refill period a token is free again.
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs + 30));
    await expect(limiter.acquire(seller, "getReport", undefined, 0)).resolves.toBeUndefined();
  });

  it("empties the bucket when Amazon answers 429", async () => {
    const seller = sellingPartnerId();
    // A slow plan, so the short wait below cannot refill a whole token.
    const limiter = new PostgresRateLimiter({ plans: { getReport: { rate: 0.5, burst: 3 } } });
    await limiter.acquire(seller, "getReport", undefined, 0); // creates the bucket with burst - 1 left
    limiter.noteThrottled(seller, "getReport");
    await new Promise((resolve) => setTimeout(resolve, 50)); // bookkeeping is fire-and-forget
    await expect(limiter.acquire(seller, "getReport", undefined, 0)).rejects.toBeInstanceOf(RateLimitWaitError);
  });

  it("refills by the same arithmetic in SQL as the in-process bucket does in TypeScript", async () => {
    // tokens, elapsed seconds, rate, burst, safety: from an empty bucket, debt, the cap, a clock step back.
    const cases: [number, number, number, number, number][] = [
      [0, 0, 2, 15, 0.95],
      [-3, 1.5, 2, 15, 0.95],
      [14.5, 10, 2, 15, 0.95],
      [1, 30, 0.0167, 15, 1],
      [-0.25, 2.75, 0.5, 30, 0.8],
      [4, -5, 2, 15, 0.95],
    ];
    for (const [tokens, elapsed, rate, burst, safety] of cases) {
      const f = (n: number) => Prisma.sql`${n}::float8`;
      const [row] = await db.$queryRaw<{ tokens: number }[]>`
        SELECT ${refilledTokensSql(f(tokens), f(elapsed), f(rate), f(burst), safety)} AS "tokens"`;
      expect(row!.tokens).toBeCloseTo(refilledTokens(tokens, elapsed, rate, burst, safety), 9);
    }
  });
});
