// A seller running the app for their own account with a self-authorized app sets the refresh token in
// the environment (AMAZON_SPAPI_REFRESH_TOKEN, AMAZON_SELLER_ID, AMAZON_SPAPI_USER_EMAIL) instead of
// going through OAuth. At start, and again every few minutes from the trigger sweeper (the account may
// be signed up after the app started), that connection is created or updated for the configured user,
// the token encrypted like any other, and synced through the same trigger as Connect Amazon.
import { decrypt, encrypt } from "../crypto/token-cipher";
import { db } from "../db";
import { env } from "../env";
import { recordAudit } from "../sync/audit";
import { amazonAppOrThrow, tokenKeyring, type AmazonApp } from "./amazon-app";
import { readAccountEvidence } from "./complete-amazon-consent";
import { triggerSync, type NotifyConnected } from "./sync-trigger";

export type EnvConnectionResult =
  | { state: "not-configured" }
  | { state: "no-such-user" }
  | { state: "unchanged"; sellerConnectionId: string }
  | { state: "refused"; sellerConnectionId: string }
  | { state: "connected"; sellerConnectionId: string; created: boolean };

export async function ensureEnvConnection(
  notifyConnected: NotifyConnected,
  options: { app?: AmazonApp; config?: Pick<ReturnType<typeof env>, "AMAZON_SPAPI_REFRESH_TOKEN" | "AMAZON_SELLER_ID" | "AMAZON_SPAPI_USER_EMAIL" | "AMAZON_REGION">; now?: Date } = {},
): Promise<EnvConnectionResult> {
  const config = options.config ?? env();
  const refreshToken = config.AMAZON_SPAPI_REFRESH_TOKEN;
  const sellingPartnerId = config.AMAZON_SELLER_ID;
  const email = config.AMAZON_SPAPI_USER_EMAIL;
  if (!refreshToken || !sellingPartnerId || !email) return { state: "not-configured" };
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  if (!user) return { state: "no-such-user" };
  const region = config.AMAZON_REGION;
  const existing = await db.sellerConnection.findUnique({
    where: { userId_sellingPartnerId_region: { userId: user.id, sellingPartnerId, region } },
    select: { id: true, status: true, refreshTokenEncrypted: true },
  });
  const keyring = tokenKeyring();
  const sameToken = Boolean(existing?.refreshTokenEncrypted && safeDecrypt(existing.refreshTokenEncrypted, keyring) === refreshToken);
  if (existing && sameToken && existing.status === "connected") return { state: "unchanged", sellerConnectionId: existing.id };
  // Amazon refused this very token (the authorization was revoked or expired): it stays refused until
  // the operator sets a new one, instead of reconnecting, failing and reconnecting every sweep.
  if (existing && sameToken && existing.status === "reauthorization_required") return { state: "refused", sellerConnectionId: existing.id };
  const evidence = await readAccountEvidence(options.app ?? amazonAppOrThrow(), sellingPartnerId, refreshToken, region);
  const data = {
    marketplaceIds: evidence.marketplaceIds,
    accountFingerprint: evidence.fingerprint,
    refreshTokenEncrypted: encrypt(refreshToken, keyring),
    status: "connected",
    disconnectedAt: null,
    connectedAt: options.now ?? new Date(),
  };
  const connection = await db.sellerConnection.upsert({
    where: { userId_sellingPartnerId_region: { userId: user.id, sellingPartnerId, region } },
    create: { ...data, userId: user.id, sellingPartnerId, region },
    update: data,
    select: { id: true, connectedAt: true },
  });
  await recordAudit({
    actor: "system:env",
    action: "seller.connected",
    userId: user.id,
    sellerConnectionId: connection.id,
    details: { region, marketplaceIds: evidence.marketplaceIds, selfAuthorized: true, reconnected: Boolean(existing) },
  });
  await triggerSync({ id: connection.id, userId: user.id, connectedAt: connection.connectedAt }, notifyConnected);
  return { state: "connected", sellerConnectionId: connection.id, created: !existing };
}

function safeDecrypt(value: string, keyring: ReturnType<typeof tokenKeyring>): string | undefined {
  try {
    return decrypt(value, keyring);
  } catch {
    return undefined;
  }
}
