// The sync's write routes against a real sync in the embedded stack (sandbox over HTTP, the app's
// functions, the embedded runner): start (and its aliases), the one-sync-per-seller guard with the
// 409 seed 004's client attaches to, cancel mid-sync and a later sync that completes the data, force,
// the cron's fan-out, the fallback trigger and the self-authorized connection from the environment.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type ConnectedSeller, type SyncStack } from "../../support/sync-stack";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

/** A short history keeps each sync to a few windows. */
const HISTORY_DAYS = 90;

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes: Record<string, Handler> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(path: string, options: { body?: unknown; raw?: string; params?: Record<string, string>; as?: string | null } = {}) {
  session.userId = options.as === undefined ? session.userId : options.as;
  const init: RequestInit = { method: "POST" };
  if (options.raw !== undefined) init.body = options.raw;
  else if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const handler = routes[path];
  if (!handler) throw new Error(`no route ${path}`);
  const res = await handler(new Request(`http://app${path}`, init), { params: Promise.resolve(options.params ?? {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function runsOf(sellerConnectionId: string) {
  return db.syncRun.findMany({ where: { sellerConnectionId }, orderBy: { startedAt: "asc" } });
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 21, startTime: WORLD_END, sellers: 4 }, env: { SYNC_HISTORY_DAYS: String(HISTORY_DAYS) } });
  ({ db } = await import("../../../lib/db"));
  const load = async (path: string, file: string) => {
    routes[path] = ((await import(/* @vite-ignore */ `../../../app/api/${file}/route`)) as { POST: Handler }).POST;
  };
  await load("/api/sync/start", "sync/start");
  await load("/api/sync/force", "sync/force");
  await load("/api/v1/integrations/sync/start", "v1/integrations/sync/start");
  await load("/api/v1/jobs/sync", "v1/jobs/sync");
  await load("/api/v1/connectors/run", "v1/connectors/run");
  await load("/api/sync/cancel", "sync/cancel/[syncId]");
  await load("/api/v1/jobs/cancel", "v1/jobs/[jobId]/cancel");
  await load("/api/amazon/connections/use", "amazon/connections/[sellerConnectionId]/use");
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

describe("starting a sync", () => {
  let seller: ConnectedSeller;
  let first: { status: number; body: Record<string, unknown> };

  beforeAll(async () => {
    seller = await stack.connectSeller(0);
    first = await call("/api/sync/start", { as: seller.userId });
  });

  it("answers 202 with the new run's syncId at once, the run already in the database", async () => {
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: "running", kind: "historical" });
    expect(first.body.syncId).toMatch(/^sync_[0-9a-f]{24}$/);
    expect(typeof first.body.message).toBe("string");
    const runs = await runsOf(seller.sellerConnectionId);
    expect(runs.map((r) => r.id)).toEqual([first.body.syncId]);
    expect(runs[0]!.trigger).toBe(`user:${seller.userId}`);
  });

  it("answers a second start while it runs with 409 and the running syncId, and starts nothing", async () => {
    for (const path of ["/api/sync/start", "/api/sync/force", "/api/v1/integrations/sync/start", "/api/v1/jobs/sync", "/api/v1/connectors/run"]) {
      const again = await call(path, { as: seller.userId, body: {} });
      expect({ path, status: again.status, syncId: again.body.syncId, error: (again.body.error as { code: string }).code }).toEqual({
        path,
        status: 409,
        syncId: first.body.syncId,
        error: "conflict",
      });
    }
    expect(await runsOf(seller.sellerConnectionId)).toHaveLength(1);
  });

  it("runs the sync to the end through the sync functions", async () => {
    const run = await stack.waitForRun(first.body.syncId as string, 300_000);
    expect(run.status).toBe("completed");
    // Seed 004's flow: at 90 % the sync waits for its detection, then completes with the count.
    const events = await db.progressEvent.findMany({ where: { syncRunId: first.body.syncId as string }, orderBy: { id: "asc" } });
    const waiting = events.find((e) => e.message === "Waiting for discrepancy detection...");
    expect(waiting?.progress).toBe(90);
    const last = events.at(-1)!;
    const ended = await db.syncRun.findUniqueOrThrow({ where: { id: first.body.syncId as string } });
    expect({ status: last.status, progress: last.progress }).toEqual({ status: "completed", progress: 100 });
    expect(ended.message).toBe(`Sync completed successfully - ${ended.claimsDetected} discrepanc${ended.claimsDetected === 1 ? "y" : "ies"} detected`);
    // The count is the seller's open findings (expired ones, lost to their window, not counted).
    const notClosed = await db.detection.count({ where: { sellerConnectionId: seller.sellerConnectionId, status: { notIn: ["resolved", "dismissed"] } } });
    expect(ended.claimsDetected).toBeLessThanOrEqual(notClosed);
    expect(events.indexOf(waiting!)).toBeLessThan(events.length - 1);
  }, 320_000);

  it("is told by the read routes as the seller's frontend reads them, from the real run", async () => {
    const views = await import("../../../lib/sync/api/view-handlers");
    const get = async (handler: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>, path: string, params: Record<string, string> = {}) => {
      const res = await handler(new Request(`http://app${path}`), { params: Promise.resolve(params) });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    session.userId = seller.userId;
    const syncId = first.body.syncId as string;
    const byId = await get(views.syncRunStatusHandler, `/api/sync/status/${syncId}`, { syncId });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ success: true, syncId, status: "completed", progress: 100, error: null });
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncId } });
    const counts = run.counts as Record<string, number>;
    expect(byId.body.ordersProcessed).toBe(counts["all-orders"] ?? 0);
    expect(byId.body.ordersProcessed).toBeGreaterThan(0);
    const ledger = (byId.body.sources as { source: string; rows: number }[]).find((x) => x.source === "ledger-detail")!;
    expect(ledger.rows).toBe(counts["ledger-detail"]);
    expect(ledger.rows).toBeGreaterThan(0);
    const overview = await get(views.syncStatusHandler, "/api/sync/status");
    expect(overview.body).toMatchObject({ hasActiveSync: false, lastSync: { syncId, status: "completed", progress: 100 } });
    const history = await get(views.syncHistoryHandler, "/api/sync/history?limit=20&offset=0");
    expect(history.body).toMatchObject({ success: true, total: 1, history: [{ syncId, status: "completed" }] });
    const health = await get(views.dataSourcesHealthHandler, "/api/sync/data-sources/health");
    const cards = health.body.dataSources as { name: string; status: string; lastPulledAgo: string }[];
    expect(cards.map((c) => c.name)).toEqual(expect.arrayContaining(["Shipment Data", "Fulfillment Center Data", "Sales & Order Data", "Returns Data"]));
    // Just pulled: every card reads connected, "just now" or minutes ago (our clock, not the sandbox's).
    expect(cards.filter((c) => c.status !== "connected").map((c) => `${c.name}: ${c.status}`)).toEqual([]);
    for (const c of cards) expect(c.lastPulledAgo).toMatch(/just now|minutes? ago/);
  });

  it("starts an incremental sync once a history is in, and a historical one on force", async () => {
    await stack.waitForRunnerIdle(60_000);
    const next = await call("/api/sync/start", { as: seller.userId });
    expect(next).toMatchObject({ status: 202, body: { kind: "incremental" } });
    expect((await stack.waitForRun(next.body.syncId as string, 300_000)).status).toBe("completed");
    await stack.waitForRunnerIdle(60_000);
    const forced = await call("/api/sync/force", { as: seller.userId });
    expect(forced).toMatchObject({ status: 202, body: { kind: "historical" } });
    const cancelled = await call("/api/sync/cancel", { as: seller.userId, params: { syncId: forced.body.syncId as string } });
    expect(cancelled.status).toBe(200);
    await stack.waitForRunnerIdle(120_000);
  }, 700_000);
});

describe("two starts at the same moment", () => {
  it("give one run and one 409 naming it", async () => {
    const seller = await stack.connectSeller(1);
    session.userId = seller.userId;
    const answers = await Promise.all([call("/api/sync/start"), call("/api/v1/integrations/sync/start")]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 409]);
    const started = answers.find((a) => a.status === 202)!;
    expect(answers.find((a) => a.status === 409)!.body.syncId).toBe(started.body.syncId);
    expect((await runsOf(seller.sellerConnectionId)).map((r) => r.id)).toEqual([started.body.syncId]);
    // "Use existing connection" while it runs names the running sync (nothing refused, nothing started).
    const used = await call("/api/amazon/connections/use", { params: { sellerConnectionId: seller.sellerConnectionId } });
    expect(used).toMatchObject({ status: 200, body: { syncId: started.body.syncId, status: "running", started: false } });
    expect(await runsOf(seller.sellerConnectionId)).toHaveLength(1);
    // Cancel it (also the jobs alias of cancel), so the rest of the file runs on a quiet runner.
    const cancelled = await call("/api/v1/jobs/cancel", { params: { jobId: started.body.syncId as string } });
    expect(cancelled).toMatchObject({ status: 200, body: { success: true } });
    await stack.waitForRunnerIdle(120_000);
  }, 180_000);
});

describe("bad input and other tenants", () => {
  let owner: ConnectedSeller;
  let intruder: ConnectedSeller;
  let runId: string;

  beforeAll(async () => {
    owner = await stack.connectSeller(2);
    intruder = await stack.connectSeller(3);
    // A run of the owner's, made the way the sync function makes one (no event: nothing executes it).
    const { startSync } = await import("../../../lib/sync/start-sync");
    const started = await startSync({ requestId: "tenancy-test", sellerConnectionId: owner.sellerConnectionId, kind: "historical", trigger: "test" });
    runId = (started as { syncRunId: string }).syncRunId;
  });

  it("asks for a session", async () => {
    const res = await call("/api/sync/start", { as: null });
    expect(res.status).toBe(401);
    expect(await call("/api/sync/cancel", { as: null, params: { syncId: runId } })).toMatchObject({ status: 401 });
  });

  it("answers another user's connection, run or user id as not found, and writes nothing", async () => {
    const before = await db.syncRun.count();
    session.userId = intruder.userId;
    expect(await call("/api/sync/start", { body: { sellerConnectionId: owner.sellerConnectionId } })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await call("/api/v1/jobs/sync", { body: { userId: owner.userId } })).toMatchObject({ status: 404 });
    expect(await call("/api/sync/cancel", { params: { syncId: runId } })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await call("/api/v1/jobs/cancel", { params: { jobId: runId } })).toMatchObject({ status: 404 });
    expect(await call("/api/sync/cancel", { params: { syncId: "sync_doesnotexist" } })).toMatchObject({ status: 404 });
    expect(await call("/api/amazon/connections/use", { params: { sellerConnectionId: owner.sellerConnectionId } })).toMatchObject({ status: 404 });
    expect(await db.syncRun.count()).toBe(before);
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
  });

  it("answers malformed input with 422 naming the field (400 for broken JSON), and writes nothing", async () => {
    const before = await db.syncRun.count();
    session.userId = intruder.userId;
    const cases: [string, Parameters<typeof call>[1], number, RegExp][] = [
      ["/api/sync/start", { body: { sellerConnectionId: "../etc" } }, 422, /sellerConnectionId/],
      ["/api/sync/start", { body: { kind: "everything" } }, 422, /kind/],
      ["/api/sync/start", { body: { surprise: true } }, 422, /surprise|Unrecognized/i],
      ["/api/sync/start", { raw: "{not json" }, 400, /JSON/],
      ["/api/v1/connectors/run", { body: { connectorId: "ebay" } }, 422, /connectorId/],
      ["/api/sync/cancel", { params: { syncId: "bad id!" } }, 422, /syncId/],
      ["/api/v1/jobs/cancel", { params: { jobId: "x".repeat(65) } }, 422, /jobId/],
      ["/api/amazon/connections/use", { params: { sellerConnectionId: "a/b" } }, 422, /sellerConnectionId/],
    ];
    for (const [path, options, status, message] of cases) {
      const res = await call(path, options);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect((res.body.error as { message: string }).message).toMatch(message);
    }
    expect(await db.syncRun.count()).toBe(before);
  });

  it("answers a cancel of a sync that already ended with 409", async () => {
    session.userId = owner.userId;
    expect(await call("/api/sync/cancel", { params: { syncId: runId } })).toMatchObject({ status: 200, body: { success: true } });
    expect(await call("/api/sync/cancel", { params: { syncId: runId } })).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect({ status: run.status, activeFor: run.activeFor }).toEqual({ status: "cancelled", activeFor: null });
    const audit = await db.auditLog.findMany({ where: { syncRunId: runId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["sync.started", "system:test"],
      ["sync.cancelled", `user:${owner.userId}`],
    ]);
  });
});

describe("a sync cancelled mid-run", () => {
  it("ends cancelled with its data kept, and a later sync completes the data", async () => {
    const seller = await stack.connectSeller(2);
    session.userId = seller.userId;
    stack.sandbox.setFaults({ latencyMs: { "*": 150 } });
    const started = await call("/api/sync/start");
    expect(started.status).toBe(202);
    const syncId = started.body.syncId as string;
    await waitUntil("some data stored", async () => {
      const done = await db.syncTask.count({ where: { syncRunId: syncId, status: "done", rows: { gt: 0 } } });
      return done > 0 ? true : undefined;
    });
    const stoppedAt = Date.now();
    expect(await call("/api/sync/cancel", { params: { syncId } })).toMatchObject({ status: 200, body: { success: true } });
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncId }, include: { tasks: true } });
    expect(run.status).toBe("cancelled");
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(run.tasks.filter((t) => t.status === "pending" || t.status === "running")).toEqual([]);
    const kept = run.tasks.filter((t) => t.status === "done").reduce((n, t) => n + t.rows, 0);
    expect(kept).toBeGreaterThan(0);
    stack.sandbox.setFaults({});
    await stack.waitForRunnerIdle(120_000);

    const later = await call("/api/sync/start");
    expect(later.status).toBe(202);
    // No historical sync completed yet: the next one is historical again, and it completes.
    expect(later.body.kind).toBe("historical");
    expect((await stack.waitForRun(later.body.syncId as string, 300_000)).status).toBe("completed");
    const states = await db.dataSourceState.findMany({ where: { sellerConnectionId: seller.sellerConnectionId } });
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => s.health !== "ok").map((s) => s.source)).toEqual([]);
    await stack.waitForRunnerIdle(60_000);
  }, 600_000);
});

describe("the incremental cron", () => {
  it("asks for one incremental sync per connected seller, none for a disconnected one, under ids from the tick", async () => {
    const { InngestTestEngine } = await import("@inngest/test");
    const { syncCron } = await import("../../../inngest/functions/sync-cron");
    const kept = [await stack.connectSeller(0), await stack.connectSeller(1)];
    const gone = await stack.connectSeller(3);
    await db.sellerConnection.update({ where: { id: gone.sellerConnectionId }, data: { status: "disconnected", refreshTokenEncrypted: null } });
    const connected = (await db.sellerConnection.findMany({ where: { status: "connected" }, select: { id: true } })).map((c) => c.id);
    const tick = async () => {
      // The sends are recorded, not delivered (the edge): the runner would start real syncs otherwise.
      const sends = Array.from({ length: 30 }, (_, i) => [
        { id: `request-incremental-syncs:${i + 1}`, handler: () => ({ ids: [] }) },
        { id: `spread:${i + 1}`, handler: () => null },
      ]).flat();
      const t = new InngestTestEngine({
        function: syncCron,
        events: [{ id: "01TICKTICKTICKTICKTICKTICK", name: "inngest/scheduled.timer", data: { cron: "0 */6 * * *" } }],
        steps: sends,
      });
      const { ctx, result } = await t.execute();
      const calls = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { id: string; data: { sellerConnectionId: string; kind: string; trigger: string } }[]][] } }).mock.calls;
      return { result, events: calls.flatMap((c) => c[1]) };
    };
    const { result, events } = await tick();
    expect(result).toMatchObject({ sellers: connected.length, batches: Math.min(30, connected.length) });
    for (const k of kept) expect(connected).toContain(k.sellerConnectionId);
    expect(events.map((e) => e.data.sellerConnectionId).sort()).toEqual([...connected].sort());
    expect(events.map((e) => e.data.sellerConnectionId)).not.toContain(gone.sellerConnectionId);
    expect(new Set(events.map((e) => `${e.data.kind}/${e.data.trigger}`))).toEqual(new Set(["incremental/cron"]));
    for (const e of events) expect(e.id).toBe(`sync-requested:cron:01TICKTICKTICKTICKTICKTICK:${e.data.sellerConnectionId}`);
    // The same tick again (a replay, a retry) asks under the same ids.
    expect((await tick()).events.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it("moves lastPulledAt and the watermarks forward with an incremental sync", async () => {
    const seller = await stack.connectSeller(1);
    const state = () => db.dataSourceState.findMany({ where: { sellerConnectionId: seller.sellerConnectionId }, orderBy: { source: "asc" } });
    const end = Date.parse(WORLD_END);
    const historical = await stack.requestSync(seller.sellerConnectionId, `lifecycle-hist:${seller.sellerConnectionId}`, { kind: "historical", asOf: new Date(end - 10 * 86_400_000).toISOString() });
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: historical } })).status).toBe("completed");
    await stack.waitForRunnerIdle(60_000);
    const before = await state();
    const incremental = await stack.requestSync(seller.sellerConnectionId, `lifecycle-incr:${seller.sellerConnectionId}`, { kind: "incremental", asOf: new Date(end - 2 * 86_400_000).toISOString() });
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: incremental } })).status).toBe("completed");
    const after = await state();
    const windowed = before.filter((s) => s.watermark && !["fee-preview", "inventory-snapshot", "inventory-summaries", "settlements"].includes(s.source));
    expect(windowed.length).toBeGreaterThan(5);
    for (const s of windowed) {
      const now = after.find((a) => a.source === s.source)!;
      expect({ source: s.source, moved: now.watermark!.getTime() > s.watermark!.getTime() }).toEqual({ source: s.source, moved: true });
      expect(now.lastPulledAt!.getTime()).toBeGreaterThanOrEqual(s.lastPulledAt!.getTime());
    }
    // The incremental sync read far less than the history: windows from the watermarks minus the overlap.
    const tasks = await db.syncTask.count({ where: { syncRunId: incremental } });
    const historyTasks = await db.syncTask.count({ where: { syncRunId: historical } });
    expect(tasks).toBeLessThanOrEqual(historyTasks);
    await stack.waitForRunnerIdle(60_000);
  }, 600_000);
});

describe("using an existing connection", () => {
  it("starts a sync when none runs", async () => {
    const seller = await stack.connectSeller(0);
    session.userId = seller.userId;
    const used = await call("/api/amazon/connections/use", { params: { sellerConnectionId: seller.sellerConnectionId } });
    expect(used).toMatchObject({ status: 202, body: { status: "running", started: true, kind: "historical" } });
    expect((await runsOf(seller.sellerConnectionId)).map((r) => r.id)).toEqual([used.body.syncId]);
    expect(await call("/api/sync/cancel", { params: { syncId: used.body.syncId as string } })).toMatchObject({ status: 200 });
    await stack.waitForRunnerIdle(120_000);
  }, 180_000);
});

describe("the fallback trigger", () => {
  it("starts one sync for a connected seller that never synced, once, however often the page loads", async () => {
    const { startFirstSyncIfNone, FALLBACK_AFTER_MS } = await import("../../../lib/sync/api/start");
    const seller = await stack.connectSeller(3);
    await db.sellerConnection.update({ where: { id: seller.sellerConnectionId }, data: { connectedAt: new Date("2026-11-01T00:00:00Z") } });
    const sent: string[] = [];
    const send = async (_data: unknown, { id }: { id: string }) => void sent.push(id);
    // Just after a connect the connect's own trigger has its chance: nothing yet.
    expect(await startFirstSyncIfNone(seller.userId, send, new Date(Date.parse("2026-11-01T00:00:00Z") + FALLBACK_AFTER_MS - 1000))).toEqual([]);
    const now = new Date("2026-11-01T01:00:00Z");
    const loads = await Promise.all([startFirstSyncIfNone(seller.userId, send, now), startFirstSyncIfNone(seller.userId, send, now)]);
    const again = await startFirstSyncIfNone(seller.userId, send, now);
    expect(loads.flat()).toHaveLength(1);
    expect(again).toEqual([]);
    expect(sent).toEqual([`sync-requested:fallback:${seller.sellerConnectionId}`]);
    const runs = await runsOf(seller.sellerConnectionId);
    expect(runs.map((r) => ({ id: r.id, trigger: r.trigger, kind: r.kind }))).toEqual([{ id: loads.flat()[0], trigger: "fallback", kind: "historical" }]);
    // Nothing executes it here (the send was recorded, not delivered): end it so the seller is quiet.
    const { cancelRunningSyncs } = await import("../../../lib/sync/run-store");
    await cancelRunningSyncs(seller.sellerConnectionId, "system:test", "test over");
  });
});
