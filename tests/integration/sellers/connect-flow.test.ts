// Connect Amazon end to end against the SP-API sandbox over HTTP: consent page, LWA code exchange,
// encrypted storage, the sync trigger, every way the callback must refuse, and a forged
// selling_partner_id (the sandbox binds each code to the seller who consented, as Amazon does).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { db } from "@/lib/db";
import { spApiConfigForRegion } from "@/lib/amazon/config";
import { buildConsentUrl } from "@/lib/amazon/regions";
import { refreshAccessToken } from "@/lib/amazon/lwa";
import { decrypt, parseKeyring } from "@/lib/crypto/token-cipher";
import type { AmazonApp } from "@/lib/sellers/amazon-app";
import { tokenKeyring } from "@/lib/sellers/amazon-app";
import { InngestTestEngine } from "@inngest/test";
import { resendSyncTriggers } from "@/inngest/functions/resend-sync-triggers";
import { completeAmazonConsent } from "@/lib/sellers/complete-amazon-consent";
import { amazonConnectedEventId } from "@/lib/sellers/sync-trigger";
import { createOAuthState, STATE_TTL_MS } from "@/lib/sellers/oauth-state";
import { createSpApiClient } from "@/lib/amazon/sp-api-client";
import { TokenBucketRateLimiter } from "@/lib/amazon/rate-limit/token-bucket";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";
import { getSellerConnectionOrThrow } from "@/lib/sellers/get-seller-connection-or-throw";
import { disconnectSeller } from "@/lib/sellers/disconnect-seller";
import { createUser } from "../../support/factories";
import { answerConsent } from "../../support/sandbox-consent";

const redirectUri = "http://localhost:3000/api/amazon/callback";
// Every state is created and consumed at this instant (the sandbox's own clock starts there too).
const NOW = new Date("2026-03-01T10:00:00Z");
let sandbox: Sandbox;
let app: AmazonApp;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 20260615, startTime: "2026-06-15T12:00:00.000Z", sellers: 3, redirectUris: [redirectUri], groundTruth: false });
  app = {
    region: "NA",
    appId: "amzn1.sp.solution.sandbox",
    consentUrl: sandbox.consentUrl,
    redirectUri,
    isDraft: true,
    isSandbox: true,
    spApi: spApiConfigForRegion({
      region: "NA",
      clientId: "amzn1.application-oa2-client.sandbox",
      clientSecret: "sandbox-secret",
      spApiEndpoint: sandbox.url,
      lwaEndpoint: sandbox.lwaTokenUrl,
    }),
  };
});
afterAll(() => sandbox?.close());
// The sandbox's selling partners are shared by the tests of this file; each test starts unclaimed.
afterEach(async () => {
  await db.sellerConnection.deleteMany({ where: { sellingPartnerId: { in: sandbox.sellers.map((s) => s.sellingPartnerId) } } });
});

async function consent(userId: string, choice: { action: "confirm" | "cancel"; sellingPartnerId?: string } = { action: "confirm" }, now = NOW) {
  const state = await createOAuthState(userId, "NA", now);
  const url = buildConsentUrl({ consentUrl: app.consentUrl, applicationId: app.appId, state, redirectUri, beta: true });
  return answerConsent(url, choice);
}

function recorder() {
  const sent: { sellerConnectionId: string; userId: string }[] = [];
  const ids: string[] = [];
  return {
    sent,
    ids,
    notifyConnected: async (event: { sellerConnectionId: string; userId: string }, options: { id: string }) => {
      sent.push(event);
      ids.push(options.id);
    },
  };
}

describe("Connect Amazon callback", () => {
  it("connects the seller, stores the refresh token encrypted and sends amazon/connected", async () => {
    const user = await createUser();
    const seller = sandbox.sellers[0]!.sellingPartnerId;
    const query = await consent(user.id, { action: "confirm", sellingPartnerId: seller });
    expect(query).toMatchObject({ selling_partner_id: seller });
    const events = recorder();

    const result = await completeAmazonConsent(user.id, query, { app, now: NOW, notifyConnected: events.notifyConnected });

    expect(result).toMatchObject({ ok: true, created: true, syncTriggered: true });
    const id = (result as { sellerConnectionId: string }).sellerConnectionId;
    expect(events.sent).toEqual([{ sellerConnectionId: id, userId: user.id }]);
    const row = await db.sellerConnection.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ userId: user.id, sellingPartnerId: seller, region: "NA", status: "connected", syncTriggerPendingAt: null });
    // Marketplaces and the account fingerprint come from the Sellers API's getAccount, asked with the new token.
    expect(row.marketplaceIds).toEqual(sandbox.sellers[0]!.marketplaceIds);
    expect(row.accountFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(sandbox.calls().some((c) => c.operation === "getAccount" && c.sellingPartnerId === seller && c.status === 200)).toBe(true);

    // The column holds ciphertext: read it with plain SQL, as anyone with database access would.
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ token: string }>(`SELECT "refreshTokenEncrypted" AS token FROM "SellerConnection" WHERE id = $1`, [id]);
    await client.end();
    const stored = rows[0]!.token;
    expect(stored).not.toMatch(/Atzr\|/);
    const refreshToken = decrypt(stored, tokenKeyring());
    expect(refreshToken).toMatch(/^Atzr\|/);
    expect(stored).not.toContain(refreshToken);
    // Another key cannot read it.
    expect(() => decrypt(stored, parseKeyring(`${tokenKeyring().current}:${Buffer.alloc(32, 7).toString("base64")}`))).toThrow();
    // And the decrypted token is the real one: LWA accepts it.
    const access = await refreshAccessToken(app.spApi, { refreshToken, sellingPartnerId: seller });
    expect(access.accessToken).toMatch(/^Atza\|/);
  });

  it("still connects, with the region's home marketplace and no account fingerprint, when the Sellers API fails", async () => {
    sandbox.setFaults({ error500: { getAccount: 1 } });
    try {
      const user = await createUser();
      const seller = sandbox.sellers[1]!.sellingPartnerId;
      const result = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, now: NOW, ...recorder() });
      expect(result).toMatchObject({ ok: true });
      const row = await db.sellerConnection.findUniqueOrThrow({ where: { id: (result as { sellerConnectionId: string }).sellerConnectionId } });
      expect(row.marketplaceIds).toEqual(["ATVPDKIKX0DER"]);
      expect(row.accountFingerprint).toBeNull();
      expect(sandbox.calls().filter((c) => c.operation === "getAccount" && c.sellingPartnerId === seller && c.status === 500).length).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("stores nothing when the seller cancels on the consent page", async () => {
    const user = await createUser();
    const query = await consent(user.id, { action: "cancel" });
    expect(query.error).toBe("access_denied");
    const events = recorder();
    expect(await completeAmazonConsent(user.id, query, { app, now: NOW, ...events })).toEqual({ ok: false, failure: "cancelled" });
    expect(await db.sellerConnection.count({ where: { userId: user.id } })).toBe(0);
    expect(events.sent).toEqual([]);
  });

  it("refuses a replayed callback and stores nothing new", async () => {
    const user = await createUser();
    const query = await consent(user.id, { action: "confirm", sellingPartnerId: sandbox.sellers[1]!.sellingPartnerId });
    expect((await completeAmazonConsent(user.id, query, { app, now: NOW, ...recorder() })).ok).toBe(true);
    const before = await db.sellerConnection.findMany({ where: { userId: user.id } });
    const events = recorder();
    expect(await completeAmazonConsent(user.id, query, { app, now: NOW, ...events })).toEqual({ ok: false, failure: "state_reused" });
    expect(await db.sellerConnection.findMany({ where: { userId: user.id } })).toEqual(before);
    expect(events.sent).toEqual([]);
  });

  it("refuses a tampered, an expired and another user's state", async () => {
    const user = await createUser();
    const other = await createUser();
    const query = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...query, state: query.state + "x" }, { app, now: NOW, ...recorder() })).toEqual({
      ok: false,
      failure: "state_unknown",
    });
    expect(await completeAmazonConsent(other.id, query, { app, now: NOW, ...recorder() })).toEqual({ ok: false, failure: "state_foreign" });
    const later = new Date(NOW.getTime() + STATE_TTL_MS + 60_000);
    expect(await completeAmazonConsent(user.id, query, { app, ...recorder(), now: later })).toEqual({
      ok: false,
      failure: "state_expired",
    });
    expect(await db.sellerConnection.count({ where: { userId: { in: [user.id, other.id] } } })).toBe(0);
  });

  it("answers LWA's invalid_grant for a bad or used code as a rejected authorization", async () => {
    const user = await createUser();
    const query = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...query, spapi_oauth_code: "ANforged" }, { app, now: NOW, ...recorder() })).toEqual({
      ok: false,
      failure: "code_rejected",
    });
    // The same code again, now with a fresh state: LWA codes are single use.
    const second = await consent(user.id);
    expect((await completeAmazonConsent(user.id, second, { app, now: NOW, ...recorder() })).ok).toBe(true);
    const third = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...third, spapi_oauth_code: second.spapi_oauth_code! }, { app, now: NOW, ...recorder() })).toEqual({
      ok: false,
      failure: "code_rejected",
    });
  });

  it("updates the tokens of a selling partner connected again, without a duplicate", async () => {
    const user = await createUser();
    const seller = sandbox.sellers[2]!.sellingPartnerId;
    const first = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, now: NOW, ...recorder() });
    const before = await db.sellerConnection.findUniqueOrThrow({ where: { id: (first as { sellerConnectionId: string }).sellerConnectionId } });
    const second = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, now: NOW, ...recorder() });
    expect(second).toMatchObject({ ok: true, created: false, sellerConnectionId: before.id });
    const rows = await db.sellerConnection.findMany({ where: { sellingPartnerId: seller } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.refreshTokenEncrypted).not.toBe(before.refreshTokenEncrypted);

    // Another user cannot take this selling partner over.
    const intruder = await createUser();
    const events = recorder();
    expect(
      await completeAmazonConsent(intruder.id, await consent(intruder.id, { action: "confirm", sellingPartnerId: seller }), { app, now: NOW, ...events }),
    ).toEqual({ ok: false, failure: "already_connected_elsewhere" });
    expect((await db.sellerConnection.findMany({ where: { sellingPartnerId: seller } }))[0]!.userId).toBe(user.id);
    expect(events.sent).toEqual([]);
  });

  it("still connects when the sync trigger cannot be sent, and the sweeper resends it later under the same event id", async () => {
    const user = await createUser();
    const query = await consent(user.id, { action: "confirm", sellingPartnerId: sandbox.sellers[0]!.sellingPartnerId });
    const failedIds: string[] = [];
    const result = await completeAmazonConsent(user.id, query, {
      app,
      now: NOW,
      notifyConnected: async (_data, { id }) => {
        failedIds.push(id);
        throw new Error("event API unreachable");
      },
    });
    expect(result).toMatchObject({ ok: true, syncTriggered: false });
    const id = (result as { sellerConnectionId: string }).sellerConnectionId;
    const row = await db.sellerConnection.findUniqueOrThrow({ where: { id } });
    expect(row.syncTriggerPendingAt).not.toBeNull();
    expect(failedIds).toEqual([amazonConnectedEventId(id, row.connectedAt)]);

    // The cron sweeper: its sendEvent step is Inngest's (answered here), its database steps are real.
    const sweep = () =>
      new InngestTestEngine({ function: resendSyncTriggers, steps: [{ id: "resend-amazon-connected", handler: () => ({ ids: ["evt"] }) }] }).execute();
    const { ctx } = await sweep();
    expect(ctx.step.sendEvent).toHaveBeenCalledWith(
      "resend-amazon-connected",
      expect.arrayContaining([
        expect.objectContaining({ name: "amazon/connected", id: failedIds[0], data: { sellerConnectionId: id, userId: user.id } }),
      ]),
    );
    expect((await db.sellerConnection.findUniqueOrThrow({ where: { id } })).syncTriggerPendingAt).toBeNull();
    // Sent once: the next sweep has nothing of this seller's to send.
    const again = await sweep();
    const resent = (again.ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { sellerConnectionId: string } }[]][] } }).mock.calls
      .flatMap(([, events]) => events)
      .filter((event) => event.data.sellerConnectionId === id);
    expect(resent).toEqual([]);
  });

  it("sends the trigger under an id fixed by the connection and its connect time, new for a reconnect", async () => {
    const user = await createUser();
    const seller = sandbox.sellers[1]!.sellingPartnerId;
    const first = recorder();
    const now1 = new Date("2026-03-01T10:00:00Z");
    const r1 = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, notifyConnected: first.notifyConnected, now: now1 });
    const id = (r1 as { sellerConnectionId: string }).sellerConnectionId;
    expect(first.ids).toEqual([amazonConnectedEventId(id, now1)]);
    const second = recorder();
    const now2 = new Date("2026-03-02T10:00:00Z");
    await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }, now2), { app, notifyConnected: second.notifyConnected, now: now2 });
    expect(second.ids).toEqual([amazonConnectedEventId(id, now2)]);
    expect(second.ids[0]).not.toBe(first.ids[0]);
  });
});

describe("Connect Amazon with a forged selling_partner_id", () => {
  // The forger consents as their own seller A (the sandbox binds the code to A, as Amazon does) and
  // rewrites the redirect's selling_partner_id to B before the callback.
  const A = () => sandbox.sellers[0]!;
  const B = () => sandbox.sellers[1]!;

  async function forge(userId: string, claimed: string, extra: Record<string, string> = {}) {
    const query = await consent(userId, { action: "confirm", sellingPartnerId: A().sellingPartnerId });
    expect(query.selling_partner_id).toBe(A().sellingPartnerId);
    return { ...query, selling_partner_id: claimed, ...extra };
  }

  async function connectAsB(userId: string) {
    const result = await completeAmazonConsent(userId, await consent(userId, { action: "confirm", sellingPartnerId: B().sellingPartnerId }), { app, now: NOW, ...recorder() });
    expect(result).toMatchObject({ ok: true });
    return (result as { sellerConnectionId: string }).sellerConnectionId;
  }

  /** Whose Amazon account a stored connection's token really reaches: the sandbox answers for the token's seller. */
  async function storeNameBehind(connectionId: string): Promise<string | null | undefined> {
    const row = await db.sellerConnection.findUniqueOrThrow({ where: { id: connectionId } });
    const client = createSpApiClient(
      { ...app.spApi, rateLimiter: new TokenBucketRateLimiter() },
      { sellingPartnerId: row.sellingPartnerId, refreshToken: decrypt(row.refreshTokenEncrypted!, tokenKeyring()) },
    );
    return (await client.getMarketplaceParticipations())[0]?.storeName;
  }

  it("neither displaces nor locks out B's real owner, nor lets the forger reach B's account", async () => {
    const owner = await createUser("owner");
    const ownerConnection = await connectAsB(owner.id);
    const before = await db.sellerConnection.findUniqueOrThrow({ where: { id: ownerConnection } });

    const forger = await createUser("forger");
    const events = recorder();
    const forged = await completeAmazonConsent(forger.id, await forge(forger.id, B().sellingPartnerId), { app, now: NOW, ...events });

    // The forger gets a connection of their own, which reaches their own account A only.
    expect(forged).toMatchObject({ ok: true, created: true });
    const forgedId = (forged as { sellerConnectionId: string }).sellerConnectionId;
    expect(forgedId).not.toBe(ownerConnection);
    expect(events.sent).toEqual([{ sellerConnectionId: forgedId, userId: forger.id }]);
    expect(await storeNameBehind(forgedId)).toBe(A().name);
    expect(sandbox.calls().filter((c) => c.operation === "getAccount").at(-1)).toMatchObject({ sellingPartnerId: A().sellingPartnerId });

    // B's connection is untouched: same owner, same token, still connected, still reaching B.
    expect(await db.sellerConnection.findUniqueOrThrow({ where: { id: ownerConnection } })).toEqual(before);
    expect(await storeNameBehind(ownerConnection)).toBe(B().name);

    // The forger sees only their own connection and cannot address the owner's.
    expect((await listSellerConnections(forger.id)).map((c) => c.id)).toEqual([forgedId]);
    await expect(getSellerConnectionOrThrow(forger.id, ownerConnection)).rejects.toMatchObject({ code: "not_found" });
    expect((await listSellerConnections(owner.id)).map((c) => c.id)).toEqual([ownerConnection]);

    // And the real owner's next consent goes through, to the same connection.
    const again = await completeAmazonConsent(owner.id, await consent(owner.id, { action: "confirm", sellingPartnerId: B().sellingPartnerId }), { app, now: NOW, ...recorder() });
    expect(again).toMatchObject({ ok: true, created: false, sellerConnectionId: ownerConnection });
  });

  it("does not lock out B's real owner when the forger claims B first", async () => {
    const forger = await createUser("forger");
    const forged = await completeAmazonConsent(forger.id, await forge(forger.id, B().sellingPartnerId), { app, now: NOW, ...recorder() });
    expect(forged).toMatchObject({ ok: true });
    const forgedRow = await db.sellerConnection.findUniqueOrThrow({ where: { id: (forged as { sellerConnectionId: string }).sellerConnectionId } });

    const owner = await createUser("owner");
    const ownerConnection = await connectAsB(owner.id);
    expect(ownerConnection).not.toBe(forgedRow.id);
    expect(await db.sellerConnection.findUniqueOrThrow({ where: { id: ownerConnection } })).toMatchObject({ userId: owner.id, status: "connected" });
    expect(await storeNameBehind(ownerConnection)).toBe(B().name);
    // The forger's own connection is left as it was (it never reached B).
    expect(await db.sellerConnection.findUniqueOrThrow({ where: { id: forgedRow.id } })).toEqual(forgedRow);
  });

  it("does not hand B's kept data to the forger after B's owner disconnected", async () => {
    const owner = await createUser("owner");
    const ownerConnection = await connectAsB(owner.id);
    await disconnectSeller({ id: ownerConnection, userId: owner.id }, { confirm: true, deleteData: false }, async () => {}, NOW);

    const forger = await createUser("forger");
    const forged = await completeAmazonConsent(forger.id, await forge(forger.id, B().sellingPartnerId), { app, now: NOW, ...recorder() });
    expect(forged).toMatchObject({ ok: true, created: true });
    expect((forged as { sellerConnectionId: string }).sellerConnectionId).not.toBe(ownerConnection);
    // The kept connection (and the data hanging off it) is still the owner's.
    expect(await db.sellerConnection.findUniqueOrThrow({ where: { id: ownerConnection } })).toMatchObject({ userId: owner.id, status: "disconnected" });
    await expect(getSellerConnectionOrThrow(forger.id, ownerConnection)).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers the forger the same whether or not B is connected, before and after the code exchange", async () => {
    const outcome = async (userId: string, extra: Record<string, string> = {}) => {
      const result = await completeAmazonConsent(userId, await forge(userId, B().sellingPartnerId, extra), { app, now: NOW, ...recorder() });
      return result.ok ? { ok: true, created: result.created, syncTriggered: result.syncTriggered } : result;
    };
    // B not connected by anyone.
    const unconnected = { guessedCode: await outcome((await createUser("forger")).id, { spapi_oauth_code: "ANguessed" }), realCode: await outcome((await createUser("forger")).id) };
    // B connected by its owner.
    await db.sellerConnection.deleteMany({ where: { sellingPartnerId: { in: sandbox.sellers.map((s) => s.sellingPartnerId) } } });
    await connectAsB((await createUser("owner")).id);
    const connected = { guessedCode: await outcome((await createUser("forger")).id, { spapi_oauth_code: "ANguessed" }), realCode: await outcome((await createUser("forger")).id) };

    expect(unconnected).toEqual({ guessedCode: { ok: false, failure: "code_rejected" }, realCode: { ok: true, created: true, syncTriggered: true } });
    expect(connected).toEqual(unconnected);
  });

  it("refuses, as connected elsewhere, only a token that shows the very account another user connected", async () => {
    const owner = await createUser("owner");
    await connectAsB(owner.id);
    // Another user who really consents as B (say a second login to the same Seller Central account).
    const other = await createUser("other");
    const events = recorder();
    expect(await completeAmazonConsent(other.id, await consent(other.id, { action: "confirm", sellingPartnerId: B().sellingPartnerId }), { app, now: NOW, ...events })).toEqual({
      ok: false,
      failure: "already_connected_elsewhere",
    });
    // Even when they label it as another seller: the token, not the label, decides.
    expect(await completeAmazonConsent(other.id, { ...(await consent(other.id, { action: "confirm", sellingPartnerId: B().sellingPartnerId })), selling_partner_id: A().sellingPartnerId }, { app, now: NOW, ...events })).toEqual({
      ok: false,
      failure: "already_connected_elsewhere",
    });
    expect(events.sent).toEqual([]);
    expect(await db.sellerConnection.count({ where: { userId: other.id } })).toBe(0);
  });
});
