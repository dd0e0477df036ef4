// Connect Amazon end to end against the SP-API sandbox over HTTP: consent page, LWA code exchange,
// encrypted storage, the sync trigger, and every way the callback must refuse.
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
import { createUser } from "../../support/factories";
import { answerConsent } from "../../support/sandbox-consent";

const redirectUri = "http://localhost:3000/api/amazon/callback";
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

async function consent(userId: string, choice: { action: "confirm" | "cancel"; sellingPartnerId?: string } = { action: "confirm" }) {
  const state = await createOAuthState(userId, "NA");
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

    const result = await completeAmazonConsent(user.id, query, { app, notifyConnected: events.notifyConnected });

    expect(result).toMatchObject({ ok: true, created: true, syncTriggered: true });
    const id = (result as { sellerConnectionId: string }).sellerConnectionId;
    expect(events.sent).toEqual([{ sellerConnectionId: id, userId: user.id }]);
    const row = await db.sellerConnection.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ userId: user.id, sellingPartnerId: seller, region: "NA", status: "connected", syncTriggerPendingAt: null });
    // Marketplaces come from the Sellers API, asked with the new token.
    expect(row.marketplaceIds).toEqual(sandbox.sellers[0]!.marketplaceIds);
    expect(sandbox.calls().some((c) => c.operation === "getMarketplaceParticipations" && c.sellingPartnerId === seller && c.status === 200)).toBe(true);

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

  it("still connects, with the region's home marketplace, when the Sellers API fails", async () => {
    sandbox.setFaults({ error500: { getMarketplaceParticipations: 1 } });
    try {
      const user = await createUser();
      const seller = sandbox.sellers[1]!.sellingPartnerId;
      const result = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, ...recorder() });
      expect(result).toMatchObject({ ok: true });
      const row = await db.sellerConnection.findUniqueOrThrow({ where: { id: (result as { sellerConnectionId: string }).sellerConnectionId } });
      expect(row.marketplaceIds).toEqual(["ATVPDKIKX0DER"]);
      expect(sandbox.calls().filter((c) => c.operation === "getMarketplaceParticipations" && c.sellingPartnerId === seller && c.status === 500).length).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("stores nothing when the seller cancels on the consent page", async () => {
    const user = await createUser();
    const query = await consent(user.id, { action: "cancel" });
    expect(query.error).toBe("access_denied");
    const events = recorder();
    expect(await completeAmazonConsent(user.id, query, { app, ...events })).toEqual({ ok: false, failure: "cancelled" });
    expect(await db.sellerConnection.count({ where: { userId: user.id } })).toBe(0);
    expect(events.sent).toEqual([]);
  });

  it("refuses a replayed callback and stores nothing new", async () => {
    const user = await createUser();
    const query = await consent(user.id, { action: "confirm", sellingPartnerId: sandbox.sellers[1]!.sellingPartnerId });
    expect((await completeAmazonConsent(user.id, query, { app, ...recorder() })).ok).toBe(true);
    const before = await db.sellerConnection.findMany({ where: { userId: user.id } });
    const events = recorder();
    expect(await completeAmazonConsent(user.id, query, { app, ...events })).toEqual({ ok: false, failure: "state_reused" });
    expect(await db.sellerConnection.findMany({ where: { userId: user.id } })).toEqual(before);
    expect(events.sent).toEqual([]);
  });

  it("refuses a tampered, an expired and another user's state", async () => {
    const user = await createUser();
    const other = await createUser();
    const query = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...query, state: query.state + "x" }, { app, ...recorder() })).toEqual({
      ok: false,
      failure: "state_unknown",
    });
    expect(await completeAmazonConsent(other.id, query, { app, ...recorder() })).toEqual({ ok: false, failure: "state_foreign" });
    const later = new Date(Date.now() + STATE_TTL_MS + 60_000);
    expect(await completeAmazonConsent(user.id, query, { app, ...recorder(), now: later })).toEqual({
      ok: false,
      failure: "state_expired",
    });
    expect(await db.sellerConnection.count({ where: { userId: { in: [user.id, other.id] } } })).toBe(0);
  });

  it("answers LWA's invalid_grant for a bad or used code as a rejected authorization", async () => {
    const user = await createUser();
    const query = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...query, spapi_oauth_code: "ANforged" }, { app, ...recorder() })).toEqual({
      ok: false,
      failure: "code_rejected",
    });
    // The same code again, now with a fresh state: LWA codes are single use.
    const second = await consent(user.id);
    expect((await completeAmazonConsent(user.id, second, { app, ...recorder() })).ok).toBe(true);
    const third = await consent(user.id);
    expect(await completeAmazonConsent(user.id, { ...third, spapi_oauth_code: second.spapi_oauth_code! }, { app, ...recorder() })).toEqual({
      ok: false,
      failure: "code_rejected",
    });
  });

  it("updates the tokens of a selling partner connected again, without a duplicate", async () => {
    const user = await createUser();
    const seller = sandbox.sellers[2]!.sellingPartnerId;
    const first = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, ...recorder() });
    const before = await db.sellerConnection.findUniqueOrThrow({ where: { id: (first as { sellerConnectionId: string }).sellerConnectionId } });
    const second = await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, ...recorder() });
    expect(second).toMatchObject({ ok: true, created: false, sellerConnectionId: before.id });
    const rows = await db.sellerConnection.findMany({ where: { sellingPartnerId: seller } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.refreshTokenEncrypted).not.toBe(before.refreshTokenEncrypted);

    // Another user cannot take this selling partner over.
    const intruder = await createUser();
    const events = recorder();
    expect(
      await completeAmazonConsent(intruder.id, await consent(intruder.id, { action: "confirm", sellingPartnerId: seller }), { app, ...events }),
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
    await completeAmazonConsent(user.id, await consent(user.id, { action: "confirm", sellingPartnerId: seller }), { app, notifyConnected: second.notifyConnected, now: now2 });
    expect(second.ids).toEqual([amazonConnectedEventId(id, now2)]);
    expect(second.ids[0]).not.toBe(first.ids[0]);
  });
});
