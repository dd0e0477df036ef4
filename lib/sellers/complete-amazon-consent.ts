// The end of Connect Amazon: Amazon redirected the seller back with a code (or an error). Checks the
// state, exchanges the code at LWA, stores the refresh token encrypted, and asks for the historical
// sync without waiting for it. Nothing is stored unless every check passes.
import { z } from "zod";
import { db } from "../db";
import { exchangeAuthorizationCode } from "../amazon/lwa";
import { LwaError, AmazonError } from "../amazon/errors";
import { encrypt } from "../crypto/token-cipher";
import { REGION_DEFAULTS, regionOfMarketplace, type Region } from "../amazon/regions";
import { createSpApiClient } from "../amazon/sp-api-client";
import { Prisma } from "../generated/prisma/client";
import type { AmazonApp } from "./amazon-app";
import { tokenKeyring } from "./amazon-app";
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
  const existing = await db.sellerConnection.findUnique({
    where: { sellingPartnerId_region: { sellingPartnerId: params.selling_partner_id, region } },
    select: { id: true, userId: true, status: true },
  });
  if (existing && existing.userId !== userId && existing.status !== "disconnected") {
    return { ok: false, failure: "already_connected_elsewhere" };
  }

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

  const marketplaceIds = await participatingMarketplaces(deps.app, params.selling_partner_id, refreshToken, region);
  const data = {
    userId,
    marketplaceIds,
    refreshTokenEncrypted: encrypt(refreshToken, tokenKeyring()),
    status: "connected",
    disconnectedAt: null,
    connectedAt: deps.now ?? new Date(),
  };
  let connection: { id: string; createdAt: Date; updatedAt: Date; connectedAt: Date };
  try {
    connection = await db.sellerConnection.upsert({
      where: { sellingPartnerId_region: { sellingPartnerId: params.selling_partner_id, region } },
      create: {
        ...data,
        sellingPartnerId: params.selling_partner_id,
        region,
      },
      update: data,
      select: { id: true, createdAt: true, updatedAt: true, connectedAt: true },
    });
  } catch (error) {
    // Two callbacks for the same partner racing: the loser sees the unique constraint.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, failure: "already_connected_elsewhere" };
    }
    throw error;
  }

  const syncTriggered = await triggerSync({ id: connection.id, userId, connectedAt: connection.connectedAt }, deps.notifyConnected);
  return { ok: true, sellerConnectionId: connection.id, created: connection.createdAt.getTime() === connection.updatedAt.getTime(), syncTriggered };
}

/**
 * The seller's marketplaces in this region, from the Sellers API: Amazon's redirect does not name
 * them. The seller is waiting on this redirect, so the call is short and never fatal: without an
 * answer the region's home marketplace stands in until the sync asks again.
 */
async function participatingMarketplaces(app: AmazonApp, sellingPartnerId: string, refreshToken: string, region: Region): Promise<string[]> {
  const home = [REGION_DEFAULTS[region].marketplaces[0]!.id];
  try {
    const client = createSpApiClient({ ...app.spApi, retry: { maxAttempts: 2 } }, { sellingPartnerId, refreshToken });
    const participations = await client.getMarketplaceParticipations(AbortSignal.timeout(5000));
    const ids = participations
      .filter((p) => p.participation.isParticipating && regionOfMarketplace(p.marketplace.id) === region)
      .map((p) => p.marketplace.id);
    return ids.length > 0 ? [...new Set(ids)] : home;
  } catch (error) {
    console.warn(`Could not read marketplace participations of ${sellingPartnerId}: ${(error as Error).message}`);
    return home;
  }
}
