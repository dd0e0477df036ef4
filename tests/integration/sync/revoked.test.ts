// A seller who revokes our app at Amazon mid-sync: Login with Amazon refuses the refresh token
// (invalid_grant) at the next token refresh, which the SP-API client forces on the first 401/403. The
// connection is marked reauthorization_required once (audited), every lane stops at its next unit,
// Amazon hears nothing more, the rows stored stay, the run fails saying what the seller must do, and
// neither the cron nor the start route syncs the connection again until the seller reconnects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type ConnectedSeller, type SyncStack } from "../../support/sync-stack";

const SLOW = { latencyMs: { "*": 150 } };
const HISTORY_DAYS = 120;
const SETTLE_MS = 3_000;
const QUIET_MS = 5_000;

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
let client: typeof import("../../../inngest/client");
let seller: ConnectedSeller;
let syncRunId: string;
let storedAtRevoke = 0;
let callsWhenQuiet: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows stored for the seller across every ledger table the plan writes. */
async function ledgerRows(sellerConnectionId: string): Promise<number> {
  const { SYNC_PLAN } = await import("../../../lib/sync/plan");
  let total = 0;
  for (const table of new Set(SYNC_PLAN.map((e) => e.table))) {
    const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "sellerConnectionId" = $1`, sellerConnectionId);
    total += Number(rows[0]!.n);
  }
  return total;
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 23, startTime: WORLD_END, sellers: 1 }, env: { SYNC_HISTORY_DAYS: String(HISTORY_DAYS) } });
  ({ db } = await import("../../../lib/db"));
  client = await import("../../../inngest/client");
  seller = await stack.connectSeller(0);
  stack.sandbox.setFaults(SLOW);
  await client.inngest.send(client.syncRequested.create({ sellerConnectionId: seller.sellerConnectionId, kind: "historical" }, { id: `test-revoke:${seller.sellerConnectionId}` }));
  // Revoke once some data is in and much is still to do.
  const deadline = Date.now() + 240_000;
  for (;;) {
    const run = await db.syncRun.findFirst({ where: { sellerConnectionId: seller.sellerConnectionId, status: "running" }, include: { tasks: true } });
    if (run && run.tasks.some((t) => t.status === "done" && t.rows > 0) && run.tasks.filter((t) => t.status === "pending" || t.status === "running").length >= run.tasks.length / 3) {
      syncRunId = run.id;
      break;
    }
    if (Date.now() > deadline) throw new Error("the sync never got halfway");
    await sleep(100);
  }
  storedAtRevoke = await ledgerRows(seller.sellerConnectionId);
  stack.sandbox.revoke(seller.sellingPartnerId);
  await stack.waitForRun(syncRunId, 120_000);
  await stack.waitForRunnerIdle(120_000);
  await sleep(SETTLE_MS);
  const settled = stack.sandbox.calls().length;
  await sleep(QUIET_MS);
  callsWhenQuiet = stack.sandbox.calls().slice(settled).map((c) => `${c.operation} ${c.path} ${c.status}`);
  stack.sandbox.setFaults({});
}, 600_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

describe("a sync whose seller revoked the app at Amazon", () => {
  it("marks the connection reauthorization_required, audited once", async () => {
    const connection = await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.sellerConnectionId } });
    expect(connection.status).toBe("reauthorization_required");
    const audit = await db.auditLog.findMany({ where: { sellerConnectionId: seller.sellerConnectionId, action: "seller.reauthorization_required" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "system:inngest", userId: seller.userId, syncRunId });
  });

  it("fails the run saying what the seller must do, with no task left open", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, include: { tasks: true } });
    expect(run).toMatchObject({ status: "failed", activeFor: null, message: "Sync stopped: Amazon no longer accepts this connection. Connect your Amazon account again to sync." });
    expect(run.error).toMatch(/^Amazon no longer accepts this connection/);
    expect(run.tasks.filter((t) => t.status === "pending" || t.status === "running")).toEqual([]);
    const stopped = run.tasks.filter((t) => t.status === "skipped" || t.status === "failed");
    expect(stopped.length).toBeGreaterThan(0);
    // The seller reads what to do, never an internal id or Login with Amazon's wording.
    for (const task of stopped) expect(task.error ?? "").not.toMatch(/invalid_grant|Seller connection|refresh token/i);
    const audit = await db.auditLog.findMany({ where: { syncRunId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["sync.started", "seller.reauthorization_required", "sync.failed"]);
  });

  it("sends Amazon nothing more and keeps the rows already stored", async () => {
    expect(callsWhenQuiet).toEqual([]);
    expect(storedAtRevoke).toBeGreaterThan(0);
    expect(await ledgerRows(seller.sellerConnectionId)).toBeGreaterThanOrEqual(storedAtRevoke);
  });

  it("is passed by by the cron and refused by the start route until the seller reconnects", async () => {
    const { connectedSellerIds } = await import("../../../lib/sync/start-sync");
    expect(await connectedSellerIds()).not.toContain(seller.sellerConnectionId);
    const { startSellerSync } = await import("../../../lib/sync/api/start");
    const connection = await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.sellerConnectionId }, select: { id: true, userId: true, status: true } });
    const sent: unknown[] = [];
    await expect(startSellerSync(connection, { trigger: `user:${seller.userId}` }, async (data) => void sent.push(data))).rejects.toMatchObject({ code: "conflict" });
    expect(sent).toEqual([]);
  });

  it("marks nothing twice when a retried step or a sibling lane hits the refusal again", async () => {
    const { markReauthorizationRequired } = await import("../../../lib/sellers/reauthorization");
    expect(await markReauthorizationRequired(seller.sellerConnectionId, { syncRunId })).toBe(false);
    expect(await db.auditLog.count({ where: { sellerConnectionId: seller.sellerConnectionId, action: "seller.reauthorization_required" } })).toBe(1);
  });
});
