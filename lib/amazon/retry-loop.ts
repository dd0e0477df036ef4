// The one retry loop of the Amazon layer, shared by SP-API calls, report downloads and LWA: each
// attempt says whether it is done, worth another try after backoff, or worth another try at once
// (a refreshed access token, which uses up no attempt).
import type { Sleep } from "./clock";
import { backoffDelay, type RetryOptions } from "./config";

export type AttemptOutcome<T> =
  /** Finished: return this. */
  | { value: T }
  /** Failed in a way that may pass: try again after backoff, or throw `retry` when no attempt is left. */
  | { retry: unknown }
  /** Try again at once without counting this attempt. */
  | { again: true };

export interface RetryLoopOptions {
  retry: RetryOptions;
  sleep: Sleep;
  random: () => number;
  signal?: AbortSignal;
}

/** Runs `attempt(n, isLast)` (n from 1) until it is done or out of attempts. Errors it throws end the loop. */
export async function retryLoop<T>(
  options: RetryLoopOptions,
  attempt: (n: number, isLast: boolean) => Promise<AttemptOutcome<T>>,
): Promise<T> {
  for (let n = 1; ; n++) {
    const outcome = await attempt(n, n >= options.retry.maxAttempts);
    if ("value" in outcome) return outcome.value;
    if ("again" in outcome) {
      n--;
      continue;
    }
    if (n >= options.retry.maxAttempts) throw outcome.retry;
    await options.sleep(backoffDelay(n, options.retry, options.random), options.signal);
  }
}
