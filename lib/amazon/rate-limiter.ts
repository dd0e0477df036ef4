// Client-side token buckets per (sellingPartnerId, operation) so the process never sends faster than
// Amazon's usage plan. One instance is shared by every client in the process (sharedRateLimiter()).
import { realSleep, systemClock, type Clock, type Sleep } from "./config";
import { RateLimitWaitError } from "./errors";
import { usagePlanOf, type OperationName, type UsagePlan } from "./usage-plans";

export interface RateLimiter {
  /**
   * Resolves when a request for this seller and operation may be sent. When the wait would exceed
   * `maxWaitMs`, reserves nothing and throws RateLimitWaitError (a durable job sleeps instead).
   */
  acquire(sellingPartnerId: string, operation: OperationName, signal?: AbortSignal, maxWaitMs?: number): Promise<void>;
  /** Amazon advertised the current rate in `x-amzn-RateLimit-Limit`: adopt it. */
  noteRateLimit(sellingPartnerId: string, operation: OperationName, rate: number): void;
  /** Amazon answered 429: its bucket is empty, so ours must be too. */
  noteThrottled(sellingPartnerId: string, operation: OperationName): void;
}

export interface TokenBucketOptions {
  clock?: Clock;
  sleep?: Sleep;
  /** Override plans per operation (e.g. a higher plan Amazon granted). */
  plans?: Partial<Record<OperationName, UsagePlan>>;
  /**
   * Fraction of the plan's rate we refill at. Below 1 leaves room for network jitter: we count at send
   * time, Amazon at arrival, so two requests spaced exactly 1/rate apart can arrive closer.
   */
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
    this.safety = options.safetyFactor ?? 0.95;
    if (!(this.safety > 0 && this.safety <= 1)) throw new RangeError("safetyFactor must be in (0, 1]");
  }

  async acquire(sellingPartnerId: string, operation: OperationName, signal?: AbortSignal, maxWaitMs?: number): Promise<void> {
    const bucket = this.bucket(sellingPartnerId, operation);
    const now = this.clock.now();
    this.refill(bucket, now);
    // Our token arrives once the bucket (net of earlier reservations) has refilled to one.
    const waitMs = (Math.max(0, 1 - bucket.tokens) / (bucket.rate * this.safety)) * 1000;
    if (maxWaitMs !== undefined && waitMs > maxWaitMs) throw new RateLimitWaitError(operation, waitMs);
    bucket.tokens -= 1;
    if (waitMs === 0) return;
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
    const elapsed = Math.max(0, now - b.updatedAt) / 1000;
    b.tokens = Math.min(b.burst, b.tokens + elapsed * b.rate * this.safety);
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
