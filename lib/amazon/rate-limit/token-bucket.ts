// In-process token buckets per (sellingPartnerId, operation) so one process never sends faster than
// Amazon's usage plan. The SP-API client's default (sharedRateLimiter()): scripts, tests, a single
// process. The app itself uses the PostgreSQL bucket (postgres-bucket.ts), shared by every instance.
import { realSleep, systemClock, type Clock, type Sleep } from "../clock";
import { RateLimitWaitError } from "../errors";
import { checkSafetyFactor, DEFAULT_SAFETY_FACTOR, type RateLimiter } from "./rate-limiter";
import { msUntilToken, refilledTokens } from "./refill";
import { usagePlanOf, type OperationName, type UsagePlan } from "./usage-plans";
import { recordRateLimitDeferral, recordRateLimitWait } from "../../observability/metrics";

export interface TokenBucketOptions {
  clock?: Clock;
  sleep?: Sleep;
  /** Override plans per operation (e.g. a higher plan Amazon granted). */
  plans?: Partial<Record<OperationName, UsagePlan>>;
  /** Fraction of the plan's rate to refill at (DEFAULT_SAFETY_FACTOR). */
  safetyFactor?: number;
}

interface Bucket {
  /** May go negative: each waiting caller has reserved a future token. */
  tokens: number;
  updatedAt: number;
  rate: number;
  burst: number;
}

export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly plans: Partial<Record<OperationName, UsagePlan>>;
  private readonly safety: number;

  constructor(options: TokenBucketOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.plans = options.plans ?? {};
    this.safety = checkSafetyFactor(options.safetyFactor ?? DEFAULT_SAFETY_FACTOR);
  }

  async acquire(sellingPartnerId: string, operation: OperationName, signal?: AbortSignal, maxWaitMs?: number): Promise<void> {
    const bucket = this.bucket(sellingPartnerId, operation);
    const now = this.clock.now();
    this.refill(bucket, now);
    // Our token arrives once the bucket (net of earlier reservations) has refilled to one.
    const waitMs = msUntilToken(bucket.tokens, bucket.rate, this.safety);
    if (maxWaitMs !== undefined && waitMs > maxWaitMs) {
      recordRateLimitDeferral(operation);
      throw new RateLimitWaitError(operation, waitMs);
    }
    bucket.tokens -= 1;
    if (waitMs === 0) return;
    recordRateLimitWait(operation, waitMs / 1000);
    const readyAt = now + waitMs;
    // Loop on the clock, not on the sleep: a (scaled) timer may wake a little early.
    for (let t = this.clock.now(); t < readyAt; t = this.clock.now()) {
      signal?.throwIfAborted();
      await this.sleep(readyAt - t, signal);
    }
  }

  noteRateLimit(sellingPartnerId: string, operation: OperationName, rate: number): void {
    if (!Number.isFinite(rate) || rate <= 0) return;
    const bucket = this.bucket(sellingPartnerId, operation);
    if (bucket.rate === rate) return;
    this.refill(bucket, this.clock.now());
    bucket.rate = rate;
  }

  noteThrottled(sellingPartnerId: string, operation: OperationName): void {
    const bucket = this.bucket(sellingPartnerId, operation);
    this.refill(bucket, this.clock.now());
    bucket.tokens = Math.min(bucket.tokens, 0);
  }

  /** Current plan for a key (for tests and diagnostics). */
  planOf(sellingPartnerId: string, operation: OperationName): UsagePlan {
    const b = this.bucket(sellingPartnerId, operation);
    return { rate: b.rate, burst: b.burst };
  }

  private bucket(sellingPartnerId: string, operation: OperationName): Bucket {
    const key = `${sellingPartnerId}\u0000${operation}`;
    let b = this.buckets.get(key);
    if (!b) {
      const plan = this.plans[operation] ?? usagePlanOf(operation);
      b = { tokens: plan.burst, updatedAt: this.clock.now(), rate: plan.rate, burst: plan.burst };
      this.buckets.set(key, b);
    }
    return b;
  }

  private refill(b: Bucket, now: number): void {
    b.tokens = refilledTokens(b.tokens, (now - b.updatedAt) / 1000, b.rate, b.burst, this.safety);
    b.updatedAt = Math.max(b.updatedAt, now);
  }
}

let shared: RateLimiter | undefined;

/** The process-wide limiter every client uses unless given another. */
export function sharedRateLimiter(): RateLimiter {
  shared ??= new TokenBucketRateLimiter();
  return shared;
}

/** Replaces the process-wide limiter (tests; or a distributed limiter later). Pass undefined to reset. */
export function setSharedRateLimiter(limiter: RateLimiter | undefined): void {
  shared = limiter;
}
