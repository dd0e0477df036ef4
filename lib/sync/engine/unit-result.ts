// What one unit of sync work (one Inngest step) tells the function to do next. Small and JSON-only:
// it is the step's memoized output, replayed on every later call of the run.
import {
  AmazonNotConfiguredError,
  RateLimitWaitError,
  ReportDocumentCorruptError,
  ReportHeaderError,
  SellerDisconnectedError,
  SellerNotConnectedError,
  SpApiError,
  SpApiResponseValidationError,
} from "../../amazon/errors";
import { usagePlanOf } from "../../amazon/rate-limit/usage-plans";
import type { AmazonTime } from "../amazon-time";

export type UnitResult =
  /** Sleep `ms` (real) and run the same unit again (a usage plan, a cooldown). */
  | { next: "wait"; ms: number; why: string; token?: string; offset?: number }
  /** The report was asked for or is still being prepared: sleep `ms`, then check it. */
  | { next: "poll"; ms: number }
  /** The report's document is ready. */
  | { next: "ingest" }
  /** More of the same task: the next page token or document line is saved. */
  | { next: "continue"; token?: string; offset?: number }
  /** The task was split or produced tasks: run these (the first may be this task, narrowed). */
  | { next: "tasks"; taskIds: string[] }
  /** The task is finished (cancelled: closed from outside while the unit worked, the sync was stopped). */
  | { next: "done"; status: "done" | "empty" | "failed" | "skipped" | "cancelled"; rows: number; error?: string }
  /** The account may not pull this source at all (403, or 400 on the request): skip the rest of it. */
  | { next: "source-refused"; reason: string };

/** A refusal no retry fixes: the whole sync stops (the seller must reconnect, or the app has no Amazon config). */
export function isSyncStopping(error: unknown): boolean {
  return error instanceof SellerDisconnectedError || error instanceof SellerNotConnectedError || error instanceof AmazonNotConfiguredError;
}

export type WaitResult = Extract<UnitResult, { next: "wait" }>;

/** A wait the usage plan asks for, as a unit result; undefined when the error is not a wait. */
export function waitFor(error: unknown, time: AmazonTime): WaitResult | undefined {
  if (error instanceof RateLimitWaitError) return { next: "wait", ms: Math.max(250, Math.ceil(error.retryAfterMs)), why: `quota:${error.operation}` };
  if (error instanceof SpApiError && error.isThrottled) {
    return { next: "wait", ms: Math.max(250, time.toRealMs(1000 / usagePlanOf(error.operation).rate)), why: `quota:${error.operation}` };
  }
  return undefined;
}

/** Amazon refused the request itself (4xx other than 429): retrying the same request cannot pass. */
export function isRefusal(error: unknown): error is SpApiError {
  return error instanceof SpApiError && error.status >= 400 && error.status < 500 && !error.isThrottled;
}

/** The answer or document is unusable; a retry would read the same. */
export function isUnreadable(error: unknown): boolean {
  return error instanceof ReportDocumentCorruptError || error instanceof ReportHeaderError || error instanceof SpApiResponseValidationError;
}

/** What a seller and an operator read about a failure: Amazon's own message, never a stack or a secret. */
export function reasonOf(error: unknown): string {
  // Never the connection's internal id or LWA's wording: what the seller must do.
  if (error instanceof SellerDisconnectedError || error instanceof SellerNotConnectedError) return "This Amazon account is no longer connected. Connect it again to sync.";
  if (error instanceof SpApiError) return `Amazon answered ${error.status} ${error.code}: ${error.amazonMessage}`.slice(0, 500);
  if (error instanceof Error) return error.message.slice(0, 500);
  return "Unknown error";
}
