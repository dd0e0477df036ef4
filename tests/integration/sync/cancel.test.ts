// Stopping a sync mid-run: sync/cancelled (the seller's Cancel) and amazon/disconnected (Disconnect)
// reach the sync functions through the app's Inngest client. The run ends `cancelled` within seconds,
// no task is left open, Amazon hears nothing more once the in-flight steps are over, the rows already
// stored stay, the audit trail says who stopped it, and the seller's next sync runs to the end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type ConnectedSeller, type SyncStack } from "../../support/sync-stack";

/** Every call is slowed, so the run is still busy with Amazon when it is stopped. */
const SLOW = { latencyMs: { "*": 150 } };
/** A run shorter than 18 months (fewer windows) is enough to stop one halfway. */
const HISTORY_DAYS = 120;
/** How soon a stopped run must read `cancelled`. */
const CANCEL_WITHIN_MS = 5_000;
/** After the runner is idle, steps that were mid-call when the run stopped may still finish their last call. */
const SETTLE_MS = 3_000;
const QUIET_MS = 5_000;

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
let client: typeof import("../../../inngest/client");
let plan: typeof import("../../../lib/sync/plan");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function storedRows(sellerConnectionId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of new Set(plan.SYNC_PLAN.map((e) => e.table))) {
    const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "sellerConnectionId" = $1`, sellerConnectionId);
    out[table] = Number(rows[0]!.n);
  }
  return out;
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Sends sync/requested and returns the run once some of its data is stored and much is still to do. */
async function startAndWaitMidRun(seller: ConnectedSeller, eventId: string): Promise<string> {
  await client.inngest.send(client.syncRequested.create({ sellerConnectionId: seller.sellerConnectionId, kind: "historical" }, { id: eventId }));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await db.syncRun.findFirst({ where: { sellerConnectionId: seller.sellerConnectionId, status: "running" }, include: { tasks: true } });
    if (run) {
      const stored = run.tasks.some((t) => t.status === "done" && t.rows > 0);
      const open = run.tasks.filter((t) => t.status === "pending" || t.status === "running").length;
      if (stored && open >= run.tasks.length / 2) return run.id;
    }
    if (Date.now() > deadline) throw new Error("the sync never got halfway");
    await sleep(100);
  }
}

/** Waits for the run to read `cancelled`; returns how long it took. */
async function waitCancelled(syncRunId: string, since: number, timeoutMs: number): Promise<number> {
  for (;;) {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, select: { status: true } });
    if (run.status !== "running") {
      expect(run.status).toBe("cancelled");
      return Date.now() - since;
    }
    if (Date.now() - since > timeoutMs) throw new Error(`sync ${syncRunId} still running ${timeoutMs} ms after it was stopped`);
    await sleep(50);
  }
}

interface Stopped {
  runId: string;
  cancelledAfterMs: number;
  storedAtStop: number;
  storedSettled: Record<string, number>;
  /** Calls Amazon got in the quiet period after the stop had settled (operation, path, status). */
  callsWhenQuiet: string[];
}

/** Starts a sync, stops it with `stop` halfway, and records what happened until Amazon has been quiet a while. */
async function stopMidRun(seller: ConnectedSeller, eventId: string, stop: (syncRunId: string) => Promise<void>, timeoutMs = 30_000): Promise<Stopped> {
  stack.sandbox.setFaults(SLOW);
  const runId = await startAndWaitMidRun(seller, eventId);
  const storedAtStop = total(await storedRows(seller.sellerConnectionId));
  const stoppedAt = Date.now();
  await stop(runId);
  const cancelledAfterMs = await waitCancelled(runId, stoppedAt, timeoutMs);
  await stack.waitForRunnerIdle(60_000);
  await sleep(SETTLE_MS);
  const callsSettled = stack.sandbox.calls().length;
  const storedSettled = await storedRows(seller.sellerConnectionId);
  await sleep(QUIET_MS);
  const callsWhenQuiet = stack.sandbox.calls().slice(callsSettled).map((c) => `${c.realTime} ${c.operation} ${c.path} ${c.status}`);
  stack.sandbox.setFaults({});
  return { runId, cancelledAfterMs, storedAtStop, storedSettled, callsWhenQuiet };
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 11, startTime: WORLD_END, sellers: 3 }, env: { SYNC_HISTORY_DAYS: String(HISTORY_DAYS) } });
  ({ db } = await import("../../../lib/db"));
  client = await import("../../../inngest/client");
  plan = await import("../../../lib/sync/plan");
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

describe.each([
  {
    name: "sync/cancelled",
    seller: 0,
    stop: async (seller: ConnectedSeller, syncRunId: string) => {
      await client.inngest.send(
        client.syncCancelled.create({ syncRunId, sellerConnectionId: seller.sellerConnectionId, actor: `user:${seller.userId}` }, { id: `sync-cancelled:${syncRunId}` }),
      );
    },
    actor: (seller: ConnectedSeller) => `user:${seller.userId}`,
    message: "Sync cancelled",
    reconnect: false,
  },
  {
    name: "amazon/disconnected",
    seller: 1,
    stop: async (seller: ConnectedSeller) => {
      // What the Disconnect route does: the token is erased and the connection marked, then the event.
      const { disconnectSeller } = await import("../../../lib/sellers/disconnect-seller");
      await disconnectSeller({ id: seller.sellerConnectionId, userId: seller.userId }, { confirm: true, deleteData: false }, async (data, options) => {
        await client.inngest.send(client.amazonDisconnected.create(data, options));
      });
    },
    actor: () => "system:inngest",
    message: "Sync stopped: Amazon was disconnected",
    reconnect: true,
  },
])("a sync stopped by $name", ({ name, seller: index, stop, actor, message, reconnect }) => {
  let seller: ConnectedSeller;
  let stopped: Stopped;

  beforeAll(async () => {
    seller = await stack.connectSeller(index);
    stopped = await stopMidRun(seller, `test-cancel-1:${name}:${seller.sellerConnectionId}`, (id) => stop(seller, id));
  }, 240_000);

  it("ends cancelled within seconds, with no task left pending or running", async () => {
    expect(stopped.cancelledAfterMs).toBeLessThan(CANCEL_WITHIN_MS);
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: stopped.runId }, include: { tasks: true } });
    expect(run).toMatchObject({ status: "cancelled", message });
    expect(run.completedAt).not.toBeNull();
    const open = run.tasks.filter((t) => t.status === "pending" || t.status === "running");
    expect(open.map((t) => `${t.source} ${t.status}`)).toEqual([]);
    expect(run.tasks.some((t) => t.status === "cancelled")).toBe(true);
    const events = await db.progressEvent.findMany({ where: { syncRunId: stopped.runId }, orderBy: { id: "asc" } });
    expect(events.at(-1)).toMatchObject({ status: "cancelled" });
  });

  it("sends Amazon nothing more once the steps in flight are over", () => {
    expect(stopped.callsWhenQuiet).toEqual([]);
  });

  it("keeps the rows already stored", async () => {
    expect(stopped.storedAtStop).toBeGreaterThan(0);
    expect(total(stopped.storedSettled)).toBeGreaterThanOrEqual(stopped.storedAtStop);
    expect(await storedRows(seller.sellerConnectionId)).toEqual(stopped.storedSettled);
  });

  it("records who stopped it in the audit trail", async () => {
    const audit = await db.auditLog.findMany({ where: { syncRunId: stopped.runId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["sync.started", "sync.cancelled"]);
    expect(audit[1]).toMatchObject({ actor: actor(seller), sellerConnectionId: seller.sellerConnectionId, details: { reason: message } });
  });

  it("lets the seller's next sync run to the end", async () => {
    if (reconnect) {
      // A new consent: a new refresh token on the same connection.
      const { encrypt } = await import("../../../lib/crypto/token-cipher");
      const { tokenKeyring } = await import("../../../lib/sellers/amazon-app");
      const { refreshToken } = stack.sandbox.grant(seller.sellingPartnerId);
      await db.sellerConnection.update({
        where: { id: seller.sellerConnectionId },
        data: { status: "connected", disconnectedAt: null, refreshTokenEncrypted: encrypt(refreshToken, tokenKeyring()) },
      });
    }
    const next = await stack.requestSync(seller.sellerConnectionId, `test-cancel-2:${name}:${seller.sellerConnectionId}`, { timeoutMs: 300_000 });
    expect(next).not.toBe(stopped.runId);
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: next }, include: { tasks: true } });
    expect(run.status).toBe("completed");
    expect(run.tasks.filter((t) => t.status !== "done" && t.status !== "empty").map((t) => `${t.source} ${t.status} ${t.error}`)).toEqual([]);
    expect(total(await storedRows(seller.sellerConnectionId))).toBeGreaterThanOrEqual(total(stopped.storedSettled));
  }, 320_000);
});

describe("a sync whose seller disconnected when amazon/disconnected was lost", () => {
  // disconnectSeller only warns when the event cannot be sent: the connection is marked, the token
  // erased, and the sync's next steps find the seller not connected. No cancel reaches the run.
  let seller: ConnectedSeller;
  let stopped: Stopped;

  beforeAll(async () => {
    seller = await stack.connectSeller(2);
    const { disconnectSeller } = await import("../../../lib/sellers/disconnect-seller");
    stopped = await stopMidRun(
      seller,
      `test-cancel-lost:${seller.sellerConnectionId}`,
      async () => {
        await disconnectSeller({ id: seller.sellerConnectionId, userId: seller.userId }, { confirm: true, deleteData: false }, async () => {
          throw new Error("the event API is down");
        });
      },
      90_000,
    );
  }, 240_000);

  it("ends cancelled by the disconnect, not completed or failed, with no task left open", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: stopped.runId }, include: { tasks: true } });
    expect(run).toMatchObject({ status: "cancelled", message: "Sync stopped: Amazon was disconnected" });
    expect(run.tasks.filter((t) => t.status === "pending" || t.status === "running")).toEqual([]);
    const audit = await db.auditLog.findMany({ where: { syncRunId: stopped.runId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["sync.started", "system:connect"],
      ["sync.cancelled", "system:inngest"],
    ]);
  });

  it("sends Amazon nothing more and keeps the rows already stored", async () => {
    expect(stopped.callsWhenQuiet).toEqual([]);
    expect(stopped.storedAtStop).toBeGreaterThan(0);
    expect(await storedRows(seller.sellerConnectionId)).toEqual(stopped.storedSettled);
  });
});
