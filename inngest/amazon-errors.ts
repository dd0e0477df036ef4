// One mapping of the SP-API client's typed errors onto Inngest's retry semantics, for every step that
// calls Amazon: wait where Amazon says to, stop where no retry can help, retry the rest.
import { NonRetriableError, RetryAfterError } from "inngest";
import {
  AmazonNotConfiguredError,
  LwaError,
  RateLimitWaitError,
  ReportDocumentCorruptError,
  ReportHeaderError,
  SellerDisconnectedError,
  SellerNotConnectedError,
  SpApiError,
  SpApiResponseValidationError,
} from "@/lib/amazon/errors";
import { usagePlanOf } from "@/lib/amazon/rate-limit/usage-plans";

/** What a step should throw for `error`: a RetryAfterError, a NonRetriableError, or the error itself (retried with backoff). */
export function toInngestError(error: unknown): unknown {
  if (error instanceof RateLimitWaitError) {
    // The usage plan has no token for longer than a step may wait: come back when it has.
    return new RetryAfterError(error.message, Math.max(1_000, Math.ceil(error.retryAfterMs)), { cause: error });
  }
  if (error instanceof SpApiError && error.isThrottled) {
    // Amazon's bucket is empty; it refills one token per 1/rate seconds of the operation's plan.
    const { rate } = usagePlanOf(error.operation);
    return new RetryAfterError(error.message, Math.max(1_000, Math.ceil(1000 / rate)), { cause: error });
  }
  if (
    error instanceof SellerDisconnectedError ||
    error instanceof SellerNotConnectedError ||
    error instanceof AmazonNotConfiguredError
  ) {
    return new NonRetriableError(error.message, { cause: error });
  }
  // 5xx stays retryable; any other refusal (400 InvalidInput, 403 Unauthorized, 404) will not pass on a retry.
  if (error instanceof SpApiError && !error.retryable) return new NonRetriableError(error.message, { cause: error });
  if (error instanceof LwaError && !error.retryable) return new NonRetriableError(error.message, { cause: error });
  if (
    error instanceof SpApiResponseValidationError ||
    error instanceof ReportDocumentCorruptError ||
    error instanceof ReportHeaderError
  ) {
    return new NonRetriableError(error.message, { cause: error });
  }
  return error;
}

/** Runs a step body that calls Amazon and rethrows what it throws as toInngestError says. */
export async function amazonStep<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toInngestError(error);
  }
}
