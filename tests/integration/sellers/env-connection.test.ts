// The self-authorized connection from the environment (AMAZON_SPAPI_REFRESH_TOKEN with the seller id
// and the app account's email): created for that account, the token encrypted, the sync triggered
// like Connect Amazon's; left alone while unchanged; updated and synced again for a new token. Against
// the SP-API sandbox over HTTP (getAccount for the marketplaces).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../../sandbox/server";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { sandboxAppEnv } from "../../support/sandbox-app-env";

let sandbox: Sandbox;
let db: typeof import("../../../lib/db").db;
let ensureEnvConnection: typeof import("../../../lib/sellers/env-connection").ensureEnvConnection;
let createUser: typeof import("../../support/factories").createUser;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, sellers: 1, size: "small", seed: 31, startTime: WORLD_END });
  Object.assign(process.env, sandboxAppEnv(sandbox));
  ({ db } = await import("../../../lib/db"));
  ({ ensureEnvConnection } = await import("../../../lib/sellers/env-connection"));
  ({ createUser } = await import("../../support/factories"));
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("the connection from AMAZON_SPAPI_REFRESH_TOKEN", () => {
  it("does nothing when not configured, and waits for the account to exist", async () => {
    const sent: string[] = [];
    const notify = async (_d: unknown, { id }: { id: string }) => void sent.push(id);
    const none = { AMAZON_SPAPI_REFRESH_TOKEN: undefined, AMAZON_SELLER_ID: undefined, AMAZON_SPAPI_USER_EMAIL: undefined, AMAZON_REGION: "NA" as const };
    expect(await ensureEnvConnection(notify, { config: none })).toEqual({ state: "not-configured" });
    const seller = sandbox.sellers[0]!;
    const config = { AMAZON_SPAPI_REFRESH_TOKEN: sandbox.grant(seller.sellingPartnerId).refreshToken, AMAZON_SELLER_ID: seller.sellingPartnerId, AMAZON_SPAPI_USER_EMAIL: "nobody-yet@example.test", AMAZON_REGION: "NA" as const };
    const before = await db.sellerConnection.count();
    expect(await ensureEnvConnection(notify, { config })).toEqual({ state: "no-such-user" });
    expect(await db.sellerConnection.count()).toBe(before);
    expect(sent).toEqual([]);
  });

  it("creates the account's connection encrypted, triggers its sync once, and updates it for a new token", async () => {
    const user = await createUser("self-authorized");
    const seller = sandbox.sellers[0]!;
    const token = sandbox.grant(seller.sellingPartnerId).refreshToken;
    const config = { AMAZON_SPAPI_REFRESH_TOKEN: token, AMAZON_SELLER_ID: seller.sellingPartnerId, AMAZON_SPAPI_USER_EMAIL: user.email.toUpperCase(), AMAZON_REGION: "NA" as const };
    const sent: { id: string; data: unknown }[] = [];
    const notify = async (data: unknown, { id }: { id: string }) => void sent.push({ id, data });

    const first = await ensureEnvConnection(notify, { config, now: new Date("2026-06-01T10:00:00Z") });
    expect(first).toMatchObject({ state: "connected", created: true });
    const id = (first as { sellerConnectionId: string }).sellerConnectionId;
    const row = await db.sellerConnection.findUniqueOrThrow({ where: { id } });
    expect({ userId: row.userId, sellingPartnerId: row.sellingPartnerId, status: row.status }).toEqual({ userId: user.id, sellingPartnerId: seller.sellingPartnerId, status: "connected" });
    expect(row.refreshTokenEncrypted).toBeTruthy();
    expect(row.refreshTokenEncrypted).not.toContain(token);
    expect([...row.marketplaceIds].sort()).toEqual([...seller.marketplaceIds].sort());
    expect(sent).toEqual([{ id: `amazon-connected:${id}:${Date.parse("2026-06-01T10:00:00Z")}`, data: { sellerConnectionId: id, userId: user.id } }]);
    const audit = await db.auditLog.findMany({ where: { sellerConnectionId: id } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([["seller.connected", "system:env"]]);

    // A restart with the same token changes nothing and triggers nothing.
    expect(await ensureEnvConnection(notify, { config })).toEqual({ state: "unchanged", sellerConnectionId: id });
    expect(sent).toHaveLength(1);

    // A new token (the seller re-authorized the app): the same connection, updated, synced again.
    const renewed = { ...config, AMAZON_SPAPI_REFRESH_TOKEN: sandbox.grant(seller.sellingPartnerId).refreshToken };
    expect(renewed.AMAZON_SPAPI_REFRESH_TOKEN).not.toBe(token);
    const second = await ensureEnvConnection(notify, { config: renewed, now: new Date("2026-06-02T10:00:00Z") });
    expect(second).toEqual({ state: "connected", sellerConnectionId: id, created: false });
    expect(sent.map((s) => s.id)).toEqual([`amazon-connected:${id}:${Date.parse("2026-06-01T10:00:00Z")}`, `amazon-connected:${id}:${Date.parse("2026-06-02T10:00:00Z")}`]);
    expect(await db.sellerConnection.count({ where: { userId: user.id } })).toBe(1);

    // Amazon refused that token during a sync (the authorization was revoked): the same token is not
    // reconnected on every sweep; a new one is.
    const { markReauthorizationRequired } = await import("../../../lib/sellers/reauthorization");
    expect(await markReauthorizationRequired(id)).toBe(true);
    expect(await ensureEnvConnection(notify, { config: renewed })).toEqual({ state: "refused", sellerConnectionId: id });
    expect((await db.sellerConnection.findUniqueOrThrow({ where: { id } })).status).toBe("reauthorization_required");
    expect(sent).toHaveLength(2);
    const third = await ensureEnvConnection(notify, { config: { ...config, AMAZON_SPAPI_REFRESH_TOKEN: sandbox.grant(seller.sellingPartnerId).refreshToken }, now: new Date("2026-06-03T10:00:00Z") });
    expect(third).toEqual({ state: "connected", sellerConnectionId: id, created: false });
    expect((await db.sellerConnection.findUniqueOrThrow({ where: { id } })).status).toBe("connected");
    expect(sent).toHaveLength(3);
  });
});
