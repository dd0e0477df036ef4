// The end of Connect Amazon: Amazon redirected the seller back with a code (or an error). Checks the
// state, exchanges the code at LWA, reads the account the new token belongs to, stores the refresh
// token encrypted, and asks for the historical sync without waiting for it. Nothing is stored unless
// every check passes.
//
// Threat model (README, Security, "Connect Amazon"). The redirect's selling_partner_id is not proof:
// a user who consents as their own seller A can rewrite it to B before the callback, and LWA's token
// answer names no seller. Neither does the Sellers API (sellers.json): getAccount shows the token's
// business and primary contact but no selling partner id. So:
//  - Nothing is looked up by the claimed id before the code is exchanged (only the user-bound state is
//    checked first): a guessed or replayed code learns "code_rejected" and nothing else.
//  - The claimed id is a label on the claimant's own connection, one per (user, id, region). A claim
//    never overwrites, moves or blocks another user's connection, whatever id it names; each connection
//    calls Amazon only with its own token, so a forged label syncs the forger's own account, and seller
//    data is keyed by the connection, so it never reaches another user's data.
//  - The callback's answer depends on the state, the code and what the token itself shows, never on
//    other users' connections of the claimed id: a forger cannot tell whether B is connected.
//  - What the token proves is its account fingerprint (account-evidence.ts). The one refusal that looks
//    at other users (already_connected_elsewhere) is by fingerprint: the token shows the very account
//    another user's active connection showed, so the refused user controls that account at Amazon and
//    learns nothing they could not see there. The real owner of B is refused only if another user holds
//    a connection whose token showed B's own business and contact, never because of a forged label.
import { log } from "../observability/logger";
import { recordAudit } from "../sync/audit";
import { z } from "zod";
import { db } from "../db";
import { exchangeAuthorizationCode } from "../amazon/lwa";
import { LwaError, AmazonError, SpApiError } from "../amazon/errors";
import { encrypt } from "../crypto/token-cipher";
import { REGION_DEFAULTS, regionOfMarketplace, type Region } from "../amazon/regions";
import { TokenBucketRateLimiter } from "../amazon/rate-limit/token-bucket";
import { createSpApiClient } from "../amazon/sp-api-client";
import { Prisma } from "../generated/prisma/client";
import type { AmazonApp } from "./amazon-app";
import { tokenKeyring } from "./amazon-app";
import { accountFingerprint } from "./account-evidence";
import { consumeOAuthState, type StateRejection } from "./oauth-state";
import { triggerSync, type NotifyConnected } from "./sync-trigger";

export const callbackQuerySchema = z.union([
  z.object({
    state: z.string().min(1).max(200),
    spapi_oauth_code: z.string().min(1).max(2000),
    selling_partner_id: z.string().regex(/^[A-Z0-9]{5,32}$/, "is not a selling partner id"),
    mws_auth_token: z.string().optional(),
  }),
  z.object({
    state: z.string().min(1).max(200).optional(),
    error: z.string().min(1).max(200),
    error_description: z.string().max(1000).optional(),
  }),
]);

export type ConnectFailure =
  | `state_${StateRejection}`
  | "missing_parameters"
  | "cancelled"
  | "code_rejected"
  | "amazon_unavailable"
  | "already_connected_elsewhere";

export type ConnectResult =
  | { ok: true; sellerConnectionId: string; created: boolean; syncTriggered: boolean }
  | { ok: false; failure: ConnectFailure };

export interface CompleteConsentDeps {
  app: AmazonApp;
  /** Sends `amazon/connected` with the given event id; may throw, in which case the sweeper resends it. */
  notifyConnected: NotifyConnected;
  now?: Date;
}

export async function completeAmazonConsent(
  userId: string,
  query: Record<string, string>,
  deps: CompleteConsentDeps,
): Promise<ConnectResult> {
  const parsed = callbackQuerySchema.safeParse(query);
  if (!parsed.success || !parsed.data.state) return { ok: false, failure: "missing_parameters" };
  const params = parsed.data;

  const state = await consumeOAuthState(params.state!, userId, deps.now);
  if (!state.ok) return { ok: false, failure: `state_${state.reason}` };
  if ("error" in params) return { ok: false, failure: "cancelled" };

  const region = state.region as Region;
  // The code first: until it is exchanged, nothing about the claimed id is read.
  let refreshToken: string;
  try {
    const tokens = await exchangeAuthorizationCode(deps.app.spApi, {
      code: params.spapi_oauth_code,
      redirectUri: deps.app.redirectUri,
    });
    refreshToken = tokens.refreshToken;
  } catch (error) {
    if (error instanceof LwaError) return { ok: false, failure: "code_rejected" };
    if (error instanceof AmazonError) return { ok: false, failure: "amazon_unavailable" };
    throw error;
  }

  const evidence = await readAccountEvidence(deps.app, params.selling_partner_id, refreshToken, region);
  if (evidence.fingerprint) {
    // Proven by the token, not by the label: this Amazon account is another user's active connection.
    const elsewhere = await db.sellerConnection.findFirst({
      where: { region, accountFingerprint: evidence.fingerprint, userId: { not: userId }, status: { not: "disconnected" } },
      select: { id: true },
    });
    if (elsewhere) return { ok: false, failure: "already_connected_elsewhere" };
  }

  const data = {
    marketplaceIds: evidence.marketplaceIds,
    accountFingerprint: evidence.fingerprint,
    refreshTokenEncrypted: encrypt(refreshToken, tokenKeyring()),
    status: "connected",
    disconnectedAt: null,
    connectedAt: deps.now ?? new Date(),
  };
  // The user's own connection of this label: created, or reconnected with the new token.
  const upsert = () =>
    db.sellerConnection.upsert({
      where: { userId_sellingPartnerId_region: { userId, sellingPartnerId: params.selling_partner_id, region } },
      create: { ...data, userId, sellingPartnerId: params.selling_partner_id, region },
      update: data,
      select: { id: true, createdAt: true, updatedAt: true, connectedAt: true },
    });
  let connection: { id: string; createdAt: Date; updatedAt: Date; connectedAt: Date };
  try {
    connection = await upsert();
  } catch (error) {
    // Two callbacks of this user for the same label racing: the loser's insert hit the unique key,
    // so the row exists now and the second try updates it.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    connection = await upsert();
  }

  await recordAudit({
    actor: `user:${userId}`,
    action: "seller.connected",
    userId,
    sellerConnectionId: connection.id,
    details: { region, marketplaceIds: evidence.marketplaceIds, reconnected: connection.createdAt.getTime() !== connection.updatedAt.getTime() },
  });
  const syncTriggered = await triggerSync({ id: connection.id, userId, connectedAt: connection.connectedAt }, deps.notifyConnected);
  return { ok: true, sellerConnectionId: connection.id, created: connection.createdAt.getTime() === connection.updatedAt.getTime(), syncTriggered };
}

export interface AccountEvidence {
  /** The seller's participating marketplaces in this region (the region's home one when unknown). */
  marketplaceIds: string[];
  /** accountFingerprint() of the token's getAccount answer; null when it could not be read. */
  fingerprint: string | null;
}

/**
 * What the new token shows, from one getAccount call: its account fingerprint and its marketplaces in
 * this region (Amazon's redirect names neither). The seller is waiting on this redirect, so the call is
 * short and never fatal: without an answer the region's home marketplace stands in until the sync asks
 * again, and without a fingerprint no other user's connection can be matched (a connection is never
 * refused or merged on the label alone). The call goes through a limiter of its own: the claimed id
 * may be forged, so it must not spend (or wait on) the buckets of the seller it names.
 */
export async function readAccountEvidence(app: AmazonApp, claimedId: string, refreshToken: string, region: Region): Promise<AccountEvidence> {
  const home = [REGION_DEFAULTS[region].marketplaces[0]!.id];
  try {
    const client = createSpApiClient(
      { ...app.spApi, rateLimiter: new TokenBucketRateLimiter(), retry: { ...app.spApi.retry, maxAttempts: 2 } },
      { sellingPartnerId: claimedId, refreshToken },
    );
    const account = await client.getAccount(AbortSignal.timeout(5000));
    const ids = account.marketplaceParticipationList
      .filter((p) => p.participation.isParticipating && regionOfMarketplace(p.marketplace.id) === region)
      .map((p) => p.marketplace.id);
    return { marketplaceIds: ids.length > 0 ? [...new Set(ids)] : home, fingerprint: accountFingerprint(account) };
  } catch (error) {
    // The error's kind and status only: Amazon's message text stays out of the log.
    log.warn({ failure: describeFailure(error) }, "Connect Amazon: could not read the account behind a new token; connecting with the home marketplace");
    return { marketplaceIds: home, fingerprint: null };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof SpApiError) return `${error.name} ${error.status}${error.code ? ` ${error.code}` : ""}`;
  return error instanceof Error ? error.name : "unknown error";
}
