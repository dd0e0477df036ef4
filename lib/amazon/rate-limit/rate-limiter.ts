// What the SP-API client asks of a usage-plan limiter. Two implementations: the in-process token
// bucket (token-bucket.ts: scripts, tests, one process) and the PostgreSQL bucket (postgres-bucket.ts:
// what the app uses, shared by every instance).
import type { OperationName } from "./usage-plans";

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

/**
 * Fraction of the plan's rate both buckets refill at. Below 1 leaves room for network jitter: we
 * count at send time, Amazon at arrival, so two requests spaced exactly 1/rate apart can arrive closer.
 */
export const DEFAULT_SAFETY_FACTOR = 0.95;

export function checkSafetyFactor(safety: number): number {
  if (!(safety > 0 && safety <= 1)) throw new RangeError("safetyFactor must be in (0, 1]");
  return safety;
}
