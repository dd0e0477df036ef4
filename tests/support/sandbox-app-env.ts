// The app's Amazon settings pointing at our SP-API sandbox, its clock included (a time-scaled sandbox
// reads another time than the system's): one place for the tests, the crash test's processes and bench:sync.
import type { Sandbox } from "../../sandbox/server";

export function sandboxAppEnv(sandbox: Sandbox): Record<string, string> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    AMAZON_SPAPI_ENDPOINT: sandbox.url,
    AMAZON_LWA_ENDPOINT: sandbox.lwaTokenUrl,
    AMAZON_CONSENT_URL: sandbox.consentUrl,
    AMAZON_APP_ID: "amzn1.sp.solution.sandbox",
    AMAZON_CLIENT_ID: "amzn1.application-oa2-client.sandbox",
    AMAZON_CLIENT_SECRET: "sandbox-secret",
    AMAZON_TIME_SCALE: String(sandbox.clock.scale),
    AMAZON_TIME_ANCHOR: `${iso(sandbox.clock.nowMs())}@${iso(Date.now())}`,
  };
}

/** A new user connected to sandbox seller `index` (tokens granted without the consent page), on the app's database. */
export async function connectSandboxSeller(sandbox: Sandbox, index = 0, emailPrefix = "sync"): Promise<{ sellerConnectionId: string; userId: string; sellingPartnerId: string }> {
  const { db } = await import("../../lib/db");
  const { encrypt } = await import("../../lib/crypto/token-cipher");
  const { tokenKeyring } = await import("../../lib/sellers/amazon-app");
  const { createUser } = await import("./factories");
  const seller = sandbox.sellers[index]!;
  const user = await createUser(emailPrefix);
  const connection = await db.sellerConnection.create({
    data: {
      userId: user.id,
      sellingPartnerId: seller.sellingPartnerId,
      region: "NA",
      marketplaceIds: seller.marketplaceIds,
      refreshTokenEncrypted: encrypt(sandbox.grant(seller.sellingPartnerId).refreshToken, tokenKeyring()),
    },
  });
  return { sellerConnectionId: connection.id, userId: user.id, sellingPartnerId: seller.sellingPartnerId };
}
