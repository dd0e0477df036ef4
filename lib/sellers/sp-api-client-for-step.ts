// The SP-API client for work inside an Inngest step. A step is one short, retried unit: the waiting
// belongs to Inngest (step.sleep, RetryAfterError), not to the step. So this client waits for a
// rate-limit token only briefly, tries a call at most twice itself, and shares the usage-plan
// buckets of every app instance (PostgreSQL). inngest/amazon-errors.ts maps what it throws.
import { SellerNotConnectedError } from "../amazon/errors";
import { createSpApiClient, type SpApiClient } from "../amazon/sp-api-client";
import { decrypt } from "../crypto/token-cipher";
import { db } from "../db";
import { amazonAppOrThrow, tokenKeyring, type AmazonApp } from "./amazon-app";

/** Longest a step waits for a usage-plan token; beyond it the step gives the wait back to Inngest. */
export const STEP_MAX_RATE_LIMIT_WAIT_MS = 10_000;
/** Tries of one call inside a step (Inngest retries the step itself on top). */
export const STEP_MAX_ATTEMPTS = 2;

export async function spApiClientForStep(sellerConnectionId: string, app: AmazonApp = amazonAppOrThrow()): Promise<SpApiClient> {
  const connection = await db.sellerConnection.findUnique({
    where: { id: sellerConnectionId },
    select: { sellingPartnerId: true, status: true, refreshTokenEncrypted: true, accountFingerprint: true },
  });
  if (!connection || connection.status !== "connected" || !connection.refreshTokenEncrypted) {
    throw new SellerNotConnectedError(sellerConnectionId);
  }
  return createSpApiClient(
    {
      ...app.spApi,
      maxRateLimitWaitMs: STEP_MAX_RATE_LIMIT_WAIT_MS,
      retry: { ...app.spApi.retry, maxAttempts: STEP_MAX_ATTEMPTS },
    },
    {
      sellingPartnerId: connection.sellingPartnerId,
      refreshToken: decrypt(connection.refreshTokenEncrypted, tokenKeyring()),
      // The selling partner id is Amazon's redirect parameter, a claim (complete-amazon-consent.ts):
      // share buckets only with connections whose token showed the same account.
      rateLimitKey: connection.accountFingerprint ? `account:${connection.accountFingerprint}` : `connection:${sellerConnectionId}`,
    },
  );
}
