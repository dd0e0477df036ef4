// The read side of the sync APIs (lib/sync/api/views.ts, view-handlers.ts): the exact shapes, the
// tenancy (another user's ids answered like missing ones), validation (422 naming the field), the
// aliases (one handler), the data-source cards' freshness rule at its boundaries, history paging and
// the counts. Rows are written directly at fixed dates; `now` is passed in (or Date is faked for a route).
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DATA_SOURCE_GROUPS, SYNC_PLAN } from "@/lib/sync/plan";
import { cardSettings, connectorsHealth, dataSourceCards, publicErrorText, type CardSettings, type DataSourceCard } from "@/lib/sync/api/views";
import { createUser, sellingPartnerId } from "../../support/factories";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const statusRoute = await import("@/app/api/sync/status/route");
const statusByIdRoute = await import("@/app/api/sync/status/[syncId]/route");
const v1StatusByIdRoute = await import("@/app/api/v1/integrations/sync/status/[syncId]/route");
const historyRoute = await import("@/app/api/sync/history/route");
const v1HistoryRoute = await import("@/app/api/v1/integrations/sync/history/route");
const statisticsRoute = await import("@/app/api/v1/integrations/sync/statistics/route");
const dataSourcesRoute = await import("@/app/api/sync/data-sources/health/route");
const jobStatusRoute = await import("@/app/api/jobs/[jobId]/status/route");
const v1JobStatusRoute = await import("@/app/api/v1/jobs/[jobId]/status/route");
const userJobsRoute = await import("@/app/api/jobs/user/[userId]/route");
const v1JobsRoute = await import("@/app/api/v1/jobs/status/route");
const metricsRoute = await import("@/app/api/v1/metrics/route");
const connectorsRoute = await import("@/app/api/v1/connectors/health/route");

const INTERNAL = "An internal error stopped this work; it is retried on the next sync.";
const NOW = new Date("2026-05-04T12:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PERIOD = 6 * HOUR;
const SETTINGS: CardSettings = { cronPeriodMs: PERIOD, backgroundSync: true };
const ago = (ms: number) => new Date(NOW.getTime() - ms);

afterEach(() => {
  session.userId = null;
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// Rows and calls

async function seller(userId: string, status = "connected", connectedAt = new Date("2026-01-01T00:00:00Z")) {
  return db.sellerConnection.create({
    data: { userId, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], status, connectedAt },
    select: { id: true },
  });
}

type RunInput = Omit<Prisma.SyncRunUncheckedCreateInput, "sellerConnectionId" | "status" | "kind" | "trigger"> & {
  status: string;
  kind?: string;
  trigger?: string;
};

async function run(sellerConnectionId: string, data: RunInput) {
  return db.syncRun.create({
    data: {
      kind: "incremental",
      trigger: "cron",
      ...data,
      sellerConnectionId,
      activeFor: data.status === "running" ? sellerConnectionId : null,
    },
  });
}

/** A signed-in user with one connected seller. */
async function signedInSeller() {
  const user = await createUser();
  const conn = await seller(user.id);
  session.userId = user.id;
  return { user, conn };
}

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

function call(handler: unknown, path: string, params: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return (handler as Handler)(new Request(`http://app${path}`, { method }), { params: Promise.resolve(params as never) });
}

async function ok(handler: unknown, path: string, params: Record<string, string> = {}): Promise<unknown> {
  const response = await call(handler, path, params);
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return response.json();
}

async function failing(handler: unknown, path: string, params: Record<string, string> = {}): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  const response = await call(handler, path, params);
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
}

const windowOf = (day: number) => ({ windowStart: new Date(Date.UTC(2026, 0, day)), windowEnd: new Date(Date.UTC(2026, 0, day + 1)) });
const windowText = (day: number) => `${new Date(Date.UTC(2026, 0, day)).toISOString()}..${new Date(Date.UTC(2026, 0, day + 1)).toISOString()}`;

async function orderItems(sellerConnectionId: string, items: [orderId: string, sku: string][]) {
  await db.orderItem.createMany({
    data: items.map(([amazonOrderId, sku], i) => ({
      sellerConnectionId,
      amazonOrderId,
      sku,
      raw: {},
      sourceReport: "report-1",
      sourceLine: i + 2,
      syncedAt: new Date("2026-05-01T10:30:00Z"),
    })),
  });
}

// ---------------------------------------------------------------------------------------------

describe("every read route", () => {
  const routes: [string, unknown, string, Record<string, string>][] = [
    ["status", statusRoute.GET, "/api/sync/status", {}],
    ["status by id", statusByIdRoute.GET, "/api/sync/status/x", { syncId: "x" }],
    ["v1 status by id", v1StatusByIdRoute.GET, "/api/v1/integrations/sync/status/x", { syncId: "x" }],
    ["history", historyRoute.GET, "/api/sync/history", {}],
    ["v1 history", v1HistoryRoute.GET, "/api/v1/integrations/sync/history", {}],
    ["statistics", statisticsRoute.GET, "/api/v1/integrations/sync/statistics", {}],
    ["data sources", dataSourcesRoute.GET, "/api/sync/data-sources/health", {}],
    ["job", jobStatusRoute.GET, "/api/jobs/x/status", { jobId: "x" }],
    ["v1 job", v1JobStatusRoute.GET, "/api/v1/jobs/x/status", { jobId: "x" }],
    ["user jobs", userJobsRoute.GET, "/api/jobs/user/x", { userId: "x" }],
    ["v1 jobs", v1JobsRoute.GET, "/api/v1/jobs/status", {}],
    ["metrics", metricsRoute.GET, "/api/v1/metrics", {}],
    ["connectors", connectorsRoute.GET, "/api/v1/connectors/health", {}],
  ];

  it.each(routes)("%s answers 401 without a session", async (_name, handler, path, params) => {
    session.userId = null;
    const { status, body } = await failing(handler, path, params);
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthorized");
  });

  it("answers other methods with 405 and the methods it accepts", async () => {
    const modules = [statusRoute, statusByIdRoute, v1StatusByIdRoute, historyRoute, v1HistoryRoute, statisticsRoute, dataSourcesRoute, jobStatusRoute, v1JobStatusRoute, userJobsRoute, v1JobsRoute, metricsRoute, connectorsRoute];
    for (const module of modules) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
        const response = module[method](new Request("http://app/api/sync/status", { method }));
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
      }
      expect(module.dynamic).toBe("force-dynamic");
    }
  });

  it("serves each alias with the same handler", () => {
    expect(v1StatusByIdRoute.GET).toBe(statusByIdRoute.GET);
    expect(v1HistoryRoute.GET).toBe(historyRoute.GET);
    expect(v1JobStatusRoute.GET).toBe(jobStatusRoute.GET);
  });
});

describe("GET /api/sync/status", () => {
  it("answers no sync for a user without connections or runs", async () => {
    session.userId = (await createUser()).id;
    expect(await ok(statusRoute.GET, "/api/sync/status")).toEqual({ hasActiveSync: false, lastSync: null });
  });

  it("shows the newest sync, or the running one when one runs, with orders and claims", async () => {
    const { conn } = await signedInSeller();
    await run(conn.id, { status: "completed", progress: 100, message: "Sync completed successfully", startedAt: new Date("2026-05-01T10:00:00Z"), completedAt: new Date("2026-05-01T10:05:00Z"), counts: { "all-orders": 3 }, claimsDetected: 2 });
    const newest = await run(conn.id, { status: "failed", progress: 100, message: "Sync failed: nothing could be pulled from Amazon", startedAt: new Date("2026-05-02T10:00:00Z"), completedAt: new Date("2026-05-02T10:01:00Z"), counts: { "all-orders": 5, "ledger-detail": 40 }, claimsDetected: 1 });
    // Two orders (one with two items) and a row without an order id: two distinct orders.
    await orderItems(conn.id, [["111-0000001-0000001", "SKU-A"], ["111-0000001-0000001", "SKU-B"], ["111-0000002-0000002", "SKU-A"], ["", "SKU-C"]]);

    expect(await ok(statusRoute.GET, "/api/sync/status")).toEqual({
      hasActiveSync: false,
      lastSync: {
        syncId: newest.id,
        status: "failed",
        progress: 100,
        message: "Sync failed: nothing could be pulled from Amazon",
        startedAt: "2026-05-02T10:00:00.000Z",
        ordersProcessed: 5,
        totalOrders: 2,
        claimsDetected: 1,
      },
    });

    // A running sync that started before the newest one still is the one to show.
    const running = await run(conn.id, { status: "running", progress: 30, message: "Downloading orders, Apr 2026", startedAt: new Date("2026-04-30T10:00:00Z"), counts: { "all-orders": 9 } });
    expect(await ok(statusRoute.GET, "/api/sync/status")).toEqual({
      hasActiveSync: true,
      lastSync: { syncId: running.id, status: "running", progress: 30, message: "Downloading orders, Apr 2026", startedAt: "2026-04-30T10:00:00.000Z", ordersProcessed: 9, totalOrders: 2, claimsDetected: 0 },
    });
  });

  it("leaves disconnected connections out unless named, and 404s another user's connection", async () => {
    const { user, conn } = await signedInSeller();
    const gone = await seller(user.id, "disconnected");
    const live = await run(conn.id, { status: "completed", startedAt: new Date("2026-05-01T00:00:00Z"), completedAt: new Date("2026-05-01T00:01:00Z") });
    const old = await run(gone.id, { status: "completed", startedAt: new Date("2026-05-03T00:00:00Z"), completedAt: new Date("2026-05-03T00:01:00Z") });
    const other = await seller((await createUser()).id);
    await run(other.id, { status: "running", startedAt: new Date("2026-05-04T00:00:00Z") });

    const mine = (await ok(statusRoute.GET, "/api/sync/status")) as { hasActiveSync: boolean; lastSync: { syncId: string } };
    expect(mine.hasActiveSync).toBe(false);
    expect(mine.lastSync.syncId).toBe(live.id);
    const named = (await ok(statusRoute.GET, `/api/sync/status?sellerConnectionId=${gone.id}`)) as { lastSync: { syncId: string } };
    expect(named.lastSync.syncId).toBe(old.id);

    const foreign = await failing(statusRoute.GET, `/api/sync/status?sellerConnectionId=${other.id}`);
    const missing = await failing(statusRoute.GET, "/api/sync/status?sellerConnectionId=nosuchconnection");
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const malformed = await failing(statusRoute.GET, "/api/sync/status?sellerConnectionId=a%2Fb");
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.message).toMatch(/^sellerConnectionId:/);
  });

  it("answers a userId in the query that is not the caller's with 404", async () => {
    const { user } = await signedInSeller();
    const other = await createUser();
    expect((await failing(statusRoute.GET, `/api/sync/status?userId=${other.id}`)).status).toBe(404);
    expect((await call(statusRoute.GET, `/api/sync/status?userId=${user.id}`)).status).toBe(200);
    const malformed = await failing(statusRoute.GET, "/api/sync/status?userId=%00");
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.message).toMatch(/^userId:/);
  });
});

describe("GET /api/sync/status/:syncId", () => {
  async function runWithTasks() {
    const { user, conn } = await signedInSeller();
    const r = await run(conn.id, {
      status: "running",
      kind: "historical",
      trigger: `user:${user.id}`,
      progress: 40,
      message: "Downloading orders, Jan 2026",
      counts: { "all-orders": 7, "ledger-detail": 100, "financial-events": 20 },
      unitsPlanned: 9,
      unitsDone: 5,
      etaAt: new Date("2026-05-01T11:00:00.000Z"),
      startedAt: new Date("2026-05-01T10:00:00.000Z"),
    });
    const retried = "Could not be pulled after several tries: Amazon answered 500 InternalFailure: try later";
    await db.syncTask.createMany({
      data: [
        { source: "ledger-detail", status: "done", rows: 100, ...windowOf(1) },
        { source: "reimbursements", status: "failed", error: "Invalid `prisma.syncTask.update()` invocation:\n\n  connection refused", ...windowOf(1) },
        { source: "customer-returns", status: "pending", ...windowOf(1) },
        { source: "financial-events", status: "done", rows: 20, ...windowOf(1) },
        { source: "financial-events", status: "failed", error: retried, ...windowOf(2) },
        { source: "financial-events", status: "skipped", error: retried, ...windowOf(3) },
        { source: "all-orders", status: "running", rows: 7, ...windowOf(1) },
        { source: "all-orders", status: "pending", ...windowOf(2) },
        { source: "settlements", status: "cancelled", ...windowOf(1) },
      ].map((t) => ({ ...t, syncRunId: r.id })),
    });
    await orderItems(conn.id, [["111-1", "A"], ["111-1", "B"], ["111-2", "A"]]);
    return { user, conn, run: r, retried };
  }

  it("answers the run with its sources, failed tasks and ETA", async () => {
    const { user, run: r, retried } = await runWithTasks();
    expect(await ok(statusByIdRoute.GET, `/api/sync/status/${r.id}`, { syncId: r.id })).toEqual({
      success: true,
      syncId: r.id,
      status: "running",
      progress: 40,
      message: "Downloading orders, Jan 2026",
      startedAt: "2026-05-01T10:00:00.000Z",
      completedAt: null,
      ordersProcessed: 7,
      totalOrders: 2,
      claimsDetected: 0,
      error: null,
      kind: "historical",
      trigger: `user:${user.id}`,
      eta: "2026-05-01T11:00:00.000Z",
      sources: [
        { source: "ledger-detail", title: "inventory ledger", group: "fc-inventory", rows: 100, tasks: 1, tasksDone: 1, status: "completed" },
        { source: "reimbursements", title: "reimbursements", group: "reimbursements", rows: 0, tasks: 1, tasksDone: 1, status: "failed" },
        { source: "customer-returns", title: "customer returns", group: "returns", rows: 0, tasks: 1, tasksDone: 0, status: "pending" },
        { source: "financial-events", title: "financial events", group: "fees", rows: 20, tasks: 3, tasksDone: 3, status: "partial" },
        { source: "all-orders", title: "orders", group: "sales-orders", rows: 7, tasks: 2, tasksDone: 0, status: "running" },
        { source: "settlements", title: "settlement reports", group: "settlements", rows: 0, tasks: 1, tasksDone: 1, status: "cancelled" },
      ],
      failedTasks: [
        { source: "reimbursements", title: "reimbursements", window: windowText(1), error: INTERNAL },
        { source: "financial-events", title: "financial events", window: windowText(2), error: retried },
        { source: "financial-events", title: "financial events", window: windowText(3), error: retried },
      ],
    });
  });

  it("answers identically on the v1 alias", async () => {
    const { run: r } = await runWithTasks();
    const a = await ok(statusByIdRoute.GET, `/api/sync/status/${r.id}`, { syncId: r.id });
    const b = await ok(v1StatusByIdRoute.GET, `/api/v1/integrations/sync/status/${r.id}`, { syncId: r.id });
    expect(b).toEqual(a);
  });

  it("reports a failed run's error without internal text, and its duration ends", async () => {
    const { conn } = await signedInSeller();
    const r = await run(conn.id, {
      status: "failed",
      progress: 100,
      startedAt: new Date("2026-05-01T10:00:00Z"),
      completedAt: new Date("2026-05-01T10:00:10Z"),
      error: "connect ECONNREFUSED postgresql://app:secret@db:5432/app",
    });
    const detail = (await ok(statusByIdRoute.GET, `/api/sync/status/${r.id}`, { syncId: r.id })) as Record<string, unknown>;
    expect(detail).toMatchObject({ status: "failed", completedAt: "2026-05-01T10:00:10.000Z", error: INTERNAL, eta: null, sources: [], failedTasks: [], kind: "incremental", trigger: "cron" });
    expect(JSON.stringify(detail)).not.toContain("secret");
  });

  it("answers another user's sync id exactly like a missing one, and a malformed one with 422", async () => {
    const owner = await createUser();
    const theirs = await run((await seller(owner.id)).id, { status: "completed", startedAt: new Date("2026-05-01T00:00:00Z") });
    session.userId = (await createUser()).id;
    for (const handler of [statusByIdRoute.GET, v1StatusByIdRoute.GET]) {
      const foreign = await failing(handler, `/api/sync/status/${theirs.id}`, { syncId: theirs.id });
      const missing = await failing(handler, "/api/sync/status/sync_doesnotexist", { syncId: "sync_doesnotexist" });
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      const malformed = await failing(handler, "/api/sync/status/x", { syncId: "../etc/passwd" });
      expect(malformed.status).toBe(422);
      expect(malformed.body.error.message).toMatch(/^syncId:/);
    }
  });
});

describe("GET /api/sync/history", () => {
  async function historyOfFive() {
    const { conn } = await signedInSeller();
    const at = (day: number, time = "10:00:00.000") => new Date(`2026-04-0${day}T${time}Z`);
    const h1 = await run(conn.id, { status: "completed", kind: "historical", startedAt: at(1), completedAt: at(1, "10:02:05.600"), counts: { "all-orders": 4 }, claimsDetected: 2 });
    const h2 = await run(conn.id, { status: "failed", startedAt: at(2), completedAt: at(2, "10:00:30.000"), error: "Amazon answered 403 Unauthorized: Access to requested resource is denied." });
    const h3 = await run(conn.id, { status: "cancelled", startedAt: at(3), completedAt: at(3, "10:01:00.000") });
    const h4 = await run(conn.id, { status: "completed", startedAt: at(4), completedAt: at(4, "10:00:00.400"), counts: { "all-orders": 1, fees: 3 } });
    const h5 = await run(conn.id, { status: "running", startedAt: at(5) });
    // Another user's run between them is no part of this history.
    await run((await seller((await createUser()).id)).id, { status: "completed", startedAt: at(3, "12:00:00.000") });
    return { conn, runs: { h1, h2, h3, h4, h5 } };
  }

  it("answers the runs newest first with durations, and the total", async () => {
    const { runs } = await historyOfFive();
    expect(await ok(historyRoute.GET, "/api/sync/history")).toEqual({
      success: true,
      history: [
        { syncId: runs.h5.id, status: "running", kind: "incremental", startedAt: "2026-04-05T10:00:00.000Z", completedAt: null, ordersProcessed: 0, claimsDetected: 0, duration: null, error: null },
        { syncId: runs.h4.id, status: "completed", kind: "incremental", startedAt: "2026-04-04T10:00:00.000Z", completedAt: "2026-04-04T10:00:00.400Z", ordersProcessed: 1, claimsDetected: 0, duration: 0, error: null },
        { syncId: runs.h3.id, status: "cancelled", kind: "incremental", startedAt: "2026-04-03T10:00:00.000Z", completedAt: "2026-04-03T10:01:00.000Z", ordersProcessed: 0, claimsDetected: 0, duration: 60, error: null },
        {
          syncId: runs.h2.id,
          status: "failed",
          kind: "incremental",
          startedAt: "2026-04-02T10:00:00.000Z",
          completedAt: "2026-04-02T10:00:30.000Z",
          ordersProcessed: 0,
          claimsDetected: 0,
          duration: 30,
          error: "Amazon answered 403 Unauthorized: Access to requested resource is denied.",
        },
        { syncId: runs.h1.id, status: "completed", kind: "historical", startedAt: "2026-04-01T10:00:00.000Z", completedAt: "2026-04-01T10:02:05.600Z", ordersProcessed: 4, claimsDetected: 2, duration: 126, error: null },
      ],
      total: 5,
    });
  });

  it("pages with limit and offset, the total unchanged, and answers the alias identically", async () => {
    const { runs } = await historyOfFive();
    const page = (await ok(historyRoute.GET, "/api/sync/history?limit=2&offset=1")) as { history: { syncId: string }[]; total: number };
    expect(page.history.map((h) => h.syncId)).toEqual([runs.h4.id, runs.h3.id]);
    expect(page.total).toBe(5);
    const last = (await ok(historyRoute.GET, "/api/sync/history?limit=2&offset=4")) as { history: { syncId: string }[]; total: number };
    expect(last.history.map((h) => h.syncId)).toEqual([runs.h1.id]);
    const beyond = (await ok(historyRoute.GET, "/api/sync/history?offset=5")) as { history: unknown[]; total: number };
    expect(beyond).toEqual({ success: true, history: [], total: 5 });
    expect(await ok(v1HistoryRoute.GET, "/api/v1/integrations/sync/history?limit=2&offset=1")).toEqual(page);
  });

  it("defaults to 20 a page, up to 100", async () => {
    const { conn } = await signedInSeller();
    const base = Date.UTC(2026, 2, 1);
    await db.syncRun.createMany({
      data: Array.from({ length: 21 }, (_, i) => ({ id: `hist_${conn.id}_${String(i).padStart(2, "0")}`, sellerConnectionId: conn.id, kind: "incremental", status: "completed", trigger: "cron", startedAt: new Date(base + i * MINUTE) })),
    });
    const first = (await ok(historyRoute.GET, "/api/sync/history")) as { history: { syncId: string }[]; total: number };
    expect(first.history).toHaveLength(20);
    expect(first.total).toBe(21);
    expect(first.history[0]!.syncId).toBe(`hist_${conn.id}_20`);
    const rest = (await ok(historyRoute.GET, "/api/sync/history?offset=20")) as { history: { syncId: string }[] };
    expect(rest.history.map((h) => h.syncId)).toEqual([`hist_${conn.id}_00`]);
    expect(((await ok(historyRoute.GET, "/api/sync/history?limit=100")) as { history: unknown[] }).history).toHaveLength(21);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["limit=2.5", "limit"],
    ["offset=-1", "offset"],
    ["offset=x", "offset"],
    ["limit=10&offset=1.5", "offset"],
  ])("answers ?%s with 422 naming %s", async (query, field) => {
    await signedInSeller();
    for (const handler of [historyRoute.GET, v1HistoryRoute.GET]) {
      const { status, body } = await failing(handler, `/api/sync/history?${query}`);
      expect(status).toBe(422);
      expect(body.error.code).toBe("unprocessable_entity");
      expect(body.error.message).toMatch(new RegExp(`^${field}:`));
    }
  });
});

describe("statistics and metrics", () => {
  async function statsSeller() {
    const { user, conn } = await signedInSeller();
    const gone = await seller(user.id, "disconnected");
    const t = (iso: string) => new Date(iso);
    await run(conn.id, { status: "completed", startedAt: t("2026-04-01T00:00:00Z"), completedAt: t("2026-04-01T00:01:40Z"), counts: { "all-orders": 5, "ledger-detail": 50 }, claimsDetected: 3 });
    await run(conn.id, { status: "completed", startedAt: t("2026-04-02T00:00:00Z"), completedAt: t("2026-04-02T00:03:20Z"), counts: { "all-orders": 7, reimbursements: 3 }, claimsDetected: 4 });
    await run(conn.id, { status: "failed", startedAt: t("2026-04-03T00:00:00Z"), completedAt: t("2026-04-03T00:00:10Z"), counts: { "all-orders": 2 } });
    await run(conn.id, { status: "cancelled", startedAt: t("2026-04-04T00:00:00Z"), completedAt: t("2026-04-04T00:00:05Z") });
    await run(conn.id, { status: "running", startedAt: t("2026-04-05T00:00:00Z"), counts: { "all-orders": 1 } });
    await run(gone.id, { status: "completed", startedAt: t("2026-03-01T00:00:00Z"), completedAt: t("2026-03-01T00:00:20Z"), counts: { "all-orders": 1000 }, claimsDetected: 99 });
    await run((await seller((await createUser()).id)).id, { status: "completed", startedAt: t("2026-04-06T00:00:00Z"), completedAt: t("2026-04-06T00:00:01Z"), counts: { "all-orders": 500 }, claimsDetected: 50 });
    return { user, conn, gone };
  }

  it("counts the seller's syncs by status and sums orders and claims", async () => {
    const { gone } = await statsSeller();
    expect(await ok(statisticsRoute.GET, "/api/v1/integrations/sync/statistics")).toEqual({
      success: true,
      statistics: { totalSyncs: 5, successfulSyncs: 2, failedSyncs: 1, cancelledSyncs: 1, runningSyncs: 1, totalOrdersProcessed: 15, totalClaimsDetected: 7 },
    });
    expect(await ok(statisticsRoute.GET, `/api/v1/integrations/sync/statistics?sellerConnectionId=${gone.id}`)).toEqual({
      success: true,
      statistics: { totalSyncs: 1, successfulSyncs: 1, failedSyncs: 0, cancelledSyncs: 0, runningSyncs: 0, totalOrdersProcessed: 1000, totalClaimsDetected: 99 },
    });
  });

  it("answers the seller's metrics", async () => {
    await statsSeller();
    expect(await ok(metricsRoute.GET, "/api/v1/metrics")).toEqual({
      success: true,
      metrics: {
        totalSyncs: 5,
        successRate: 0.6667,
        averageDurationSeconds: 150,
        lastSyncAt: "2026-04-02T00:03:20.000Z",
        rowsIngested: 68,
        activeJobs: 1,
        discrepanciesFound: 7,
      },
    });
  });

  it("answers zeros and nulls before any sync", async () => {
    session.userId = (await createUser()).id;
    expect(await ok(statisticsRoute.GET, "/api/v1/integrations/sync/statistics")).toEqual({
      success: true,
      statistics: { totalSyncs: 0, successfulSyncs: 0, failedSyncs: 0, cancelledSyncs: 0, runningSyncs: 0, totalOrdersProcessed: 0, totalClaimsDetected: 0 },
    });
    expect(await ok(metricsRoute.GET, "/api/v1/metrics")).toEqual({
      success: true,
      metrics: { totalSyncs: 0, successRate: null, averageDurationSeconds: null, lastSyncAt: null, rowsIngested: 0, activeJobs: 0, discrepanciesFound: 0 },
    });
  });

  it("answers another user's id or connection with 404", async () => {
    await statsSeller();
    const other = await createUser();
    const theirs = await seller(other.id);
    for (const [handler, path] of [
      [statisticsRoute.GET, "/api/v1/integrations/sync/statistics"],
      [metricsRoute.GET, "/api/v1/metrics"],
    ] as const) {
      expect((await failing(handler, `${path}?userId=${other.id}`)).status).toBe(404);
      expect((await failing(handler, `${path}?sellerConnectionId=${theirs.id}`)).status).toBe(404);
    }
  });
});

describe("jobs", () => {
  async function jobsSeller() {
    const { user, conn } = await signedInSeller();
    const done = await run(conn.id, {
      status: "completed",
      kind: "historical",
      trigger: "connect",
      progress: 100,
      message: "Sync completed successfully",
      counts: { "all-orders": 12, "ledger-detail": 30 },
      startedAt: new Date("2026-04-01T00:00:00Z"),
      completedAt: new Date("2026-04-01T01:00:00Z"),
    });
    const active = await run(conn.id, { status: "running", progress: 20, message: "Downloading orders, Apr 2026", startedAt: new Date("2026-04-02T00:00:00Z") });
    return { user, conn, done, active };
  }

  const view = (r: Awaited<ReturnType<typeof run>>) => ({
    id: r.id,
    status: r.status,
    progress: r.progress,
    data: {
      message: r.message,
      kind: r.kind,
      trigger: r.trigger,
      sellerConnectionId: r.sellerConnectionId,
      counts: r.counts,
      startedAt: r.startedAt.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
      error: null,
    },
    timestamp: r.updatedAt.toISOString(),
  });

  it("answers a job by id on both paths, identically", async () => {
    const { conn, done } = await jobsSeller();
    const expected = {
      id: done.id,
      status: "completed",
      progress: 100,
      data: {
        message: "Sync completed successfully",
        kind: "historical",
        trigger: "connect",
        sellerConnectionId: conn.id,
        counts: { "all-orders": 12, "ledger-detail": 30 },
        startedAt: "2026-04-01T00:00:00.000Z",
        completedAt: "2026-04-01T01:00:00.000Z",
        error: null,
      },
      timestamp: done.updatedAt.toISOString(),
    };
    expect(await ok(jobStatusRoute.GET, `/api/jobs/${done.id}/status`, { jobId: done.id })).toEqual(expected);
    expect(await ok(v1JobStatusRoute.GET, `/api/v1/jobs/${done.id}/status`, { jobId: done.id })).toEqual(expected);
  });

  it("answers another user's job id like a missing one, and a malformed one with 422", async () => {
    const theirs = (await jobsSeller()).done;
    session.userId = (await createUser()).id;
    for (const handler of [jobStatusRoute.GET, v1JobStatusRoute.GET]) {
      const foreign = await failing(handler, "/api/jobs/x/status", { jobId: theirs.id });
      const missing = await failing(handler, "/api/jobs/x/status", { jobId: "job_doesnotexist" });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      const malformed = await failing(handler, "/api/jobs/x/status", { jobId: "a b" });
      expect(malformed.status).toBe(422);
      expect(malformed.body.error.message).toMatch(/^jobId:/);
    }
  });

  it("lists the caller's jobs by their own user id only", async () => {
    const { user, done, active } = await jobsSeller();
    expect(await ok(userJobsRoute.GET, `/api/jobs/user/${user.id}`, { userId: user.id })).toEqual({ jobs: [view(active), view(done)] });
    expect(await ok(userJobsRoute.GET, `/api/jobs/user/${user.id}?limit=1`, { userId: user.id })).toEqual({ jobs: [view(active)] });

    const other = await createUser();
    await jobsSeller(); // the other signed-in user now has jobs of their own
    session.userId = user.id;
    const foreign = await failing(userJobsRoute.GET, `/api/jobs/user/${other.id}`, { userId: other.id });
    const missing = await failing(userJobsRoute.GET, "/api/jobs/user/nosuchuser", { userId: "nosuchuser" });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const malformed = await failing(userJobsRoute.GET, "/api/jobs/user/x", { userId: "x;drop" });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.message).toMatch(/^userId:/);
    const badLimit = await failing(userJobsRoute.GET, `/api/jobs/user/${user.id}?limit=0`, { userId: user.id });
    expect(badLimit.status).toBe(422);
    expect(badLimit.body.error.message).toMatch(/^limit:/);
  });

  it("answers the caller's active and recent jobs", async () => {
    const { user, conn, done, active } = await jobsSeller();
    expect(await ok(v1JobsRoute.GET, "/api/v1/jobs/status")).toEqual({ success: true, active: [view(active)], recent: [view(done)] });
    const later = await run(conn.id, { status: "cancelled", startedAt: new Date("2026-03-01T00:00:00Z"), completedAt: new Date("2026-03-01T00:00:01Z") });
    const newer = await run(conn.id, { status: "failed", startedAt: new Date("2026-04-01T12:00:00Z"), completedAt: new Date("2026-04-01T12:00:01Z") });
    const recent = (await ok(v1JobsRoute.GET, "/api/v1/jobs/status?limit=2")) as { recent: { id: string }[]; active: { id: string }[] };
    expect(recent.recent.map((j) => j.id)).toEqual([newer.id, done.id]);
    expect(recent.active.map((j) => j.id)).toEqual([active.id]);
    const three = (await ok(v1JobsRoute.GET, "/api/v1/jobs/status?limit=3")) as { recent: { id: string }[] };
    expect(three.recent.map((j) => j.id)).toEqual([newer.id, done.id, later.id]);

    expect((await call(v1JobsRoute.GET, `/api/v1/jobs/status?userId=${user.id}`)).status).toBe(200);
    const other = await createUser();
    expect((await failing(v1JobsRoute.GET, `/api/v1/jobs/status?userId=${other.id}`)).status).toBe(404);
    expect((await failing(jobStatusRoute.GET, `/api/jobs/${done.id}/status?userId=${other.id}`, { jobId: done.id })).status).toBe(404);
    const badLimit = await failing(v1JobsRoute.GET, "/api/v1/jobs/status?limit=101");
    expect(badLimit.status).toBe(422);
    expect(badLimit.body.error.message).toMatch(/^limit:/);
  });
});

// ---------------------------------------------------------------------------------------------
// Data-source cards

type StateInput = { source: string; lastPulledAt?: Date | null; health?: string; lastError?: string | null; updatedAt?: Date };

async function states(sellerConnectionId: string, rows: StateInput[]) {
  await db.dataSourceState.createMany({ data: rows.map((r) => ({ health: "ok", ...r, sellerConnectionId })) });
}

const sourcesOf = (group: keyof typeof DATA_SOURCE_GROUPS) => SYNC_PLAN.filter((e) => e.group === group).map((e) => e.source);

function card(source: keyof typeof DATA_SOURCE_GROUPS, status: DataSourceCard["status"], lastPulled: Date | null, lastPulledAgo: string, lastError: string | null = null, syncEnabled = true): DataSourceCard {
  return { name: DATA_SOURCE_GROUPS[source], status, lastPulled: lastPulled?.toISOString() ?? null, lastPulledAgo, source, syncEnabled, lastError };
}

describe("data-source cards", () => {
  async function mixedSeller() {
    const user = await createUser();
    const conn = await seller(user.id);
    await states(conn.id, [
      // Every inventory source pulled exactly two cron periods ago: still connected.
      ...sourcesOf("fc-inventory").map((source) => ({ source, lastPulledAt: ago(2 * PERIOD) })),
      // One orders source a millisecond past two periods: the card is stale.
      { source: "all-orders", lastPulledAt: ago(HOUR) },
      { source: "customer-shipments", lastPulledAt: ago(2 * PERIOD + 1) },
      // A degraded and a failing fee source: error, with the newest error.
      { source: "financial-events", lastPulledAt: ago(HOUR), health: "degraded", lastError: "Amazon answered 500 InternalFailure: later", updatedAt: ago(HOUR) },
      { source: "storage-fees", lastPulledAt: ago(5 * MINUTE) },
      { source: "fee-preview", lastPulledAt: null, health: "error", lastError: "Amazon answered 403 Unauthorized: denied", updatedAt: ago(2 * HOUR) },
      // Returns: no row at all. Reimbursements: a row, never pulled.
      { source: "reimbursements", lastPulledAt: null, health: "never" },
      { source: "inbound-shipments", lastPulledAt: ago(5 * MINUTE) },
      { source: "settlements", lastPulledAt: ago(3 * DAY) },
    ]);
    return { user, conn };
  }

  const mixedCards = (syncEnabled = true) => [
    card("shipments", "connected", ago(5 * MINUTE), "5 minutes ago", null, syncEnabled),
    card("fc-inventory", "connected", ago(2 * PERIOD), "12 hours ago", null, syncEnabled),
    card("sales-orders", "stale", ago(2 * PERIOD + 1), "12 hours ago", null, syncEnabled),
    card("returns", "never", null, "never", null, syncEnabled),
    card("reimbursements", "never", null, "never", null, syncEnabled),
    card("fees", "error", ago(HOUR), "1 hour ago", "Amazon answered 500 InternalFailure: later", syncEnabled),
    card("settlements", "stale", ago(3 * DAY), "3 days ago", null, syncEnabled),
  ];

  it("aggregates each group's sources: connected at two cron periods, stale past them, error, never", async () => {
    const { user, conn } = await mixedSeller();
    expect(await dataSourceCards(user.id, [conn.id], NOW, SETTINGS)).toEqual({ success: true, dataSources: mixedCards() });
  });

  it("names the seven cards in order", async () => {
    const { user, conn } = await mixedSeller();
    const { dataSources } = await dataSourceCards(user.id, [conn.id], NOW, SETTINGS);
    expect(dataSources.map((c) => c.name)).toEqual([
      "Shipment Data",
      "Fulfillment Center Data",
      "Sales & Order Data",
      "Returns Data",
      "Reimbursements Data",
      "Fees Data",
      "Settlements Data",
    ]);
  });

  it("moves the staleness boundary with the cron period", async () => {
    const { user, conn } = await mixedSeller();
    const { dataSources } = await dataSourceCards(user.id, [conn.id], NOW, { cronPeriodMs: PERIOD / 2, backgroundSync: true });
    expect(dataSources.find((c) => c.source === "fc-inventory")!.status).toBe("stale");
    expect(dataSources.find((c) => c.source === "shipments")!.status).toBe("connected");
    const later = await dataSourceCards(user.id, [conn.id], new Date(NOW.getTime() + 2 * PERIOD), SETTINGS);
    expect(later.dataSources.find((c) => c.source === "shipments")!.status).toBe("stale");
  });

  it("calls a group stale while one of its sources was never pulled", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    await states(conn.id, [{ source: "all-orders", lastPulledAt: ago(MINUTE) }]);
    const { dataSources } = await dataSourceCards(user.id, [conn.id], NOW, SETTINGS);
    expect(dataSources.find((c) => c.source === "sales-orders")).toEqual(card("sales-orders", "stale", ago(MINUTE), "1 minute ago"));
  });

  it("turns syncEnabled off with background sync off or the connection not connected", async () => {
    const { user, conn } = await mixedSeller();
    expect((await dataSourceCards(user.id, [conn.id], NOW, { ...SETTINGS, backgroundSync: false })).dataSources).toEqual(mixedCards(false));
    const stuck = await seller(user.id, "reauthorization_required");
    const cards = (await dataSourceCards(user.id, [stuck.id], NOW, SETTINGS)).dataSources;
    expect(cards.every((c) => c.syncEnabled === false && c.status === "never")).toBe(true);
  });

  it("takes the oldest pull over several connections, and a card per connection when one is named", async () => {
    const user = await createUser();
    const fresh = await seller(user.id);
    const old = await seller(user.id);
    await states(fresh.id, [{ source: "inbound-shipments", lastPulledAt: ago(MINUTE) }]);
    await states(old.id, [{ source: "inbound-shipments", lastPulledAt: ago(3 * DAY) }]);
    const both = (await dataSourceCards(user.id, [fresh.id, old.id], NOW, SETTINGS)).dataSources;
    expect(both[0]).toEqual(card("shipments", "stale", ago(3 * DAY), "3 days ago"));
    const one = (await dataSourceCards(user.id, [fresh.id], NOW, SETTINGS)).dataSources;
    expect(one[0]).toEqual(card("shipments", "connected", ago(MINUTE), "1 minute ago"));
    // Another user's connection id contributes nothing even when passed in.
    const intruder = await createUser();
    expect((await dataSourceCards(intruder.id, [fresh.id], NOW, SETTINGS)).dataSources[0]).toEqual(card("shipments", "never", null, "never", null, false));
  });

  it("answers the route with the cards at the current time and 404s another user's connection", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const { conn } = await signedInSeller();
    // Fresh and stale for any cron of between a minute and half a year.
    await states(conn.id, [
      { source: "inbound-shipments", lastPulledAt: ago(MINUTE) },
      ...sourcesOf("fc-inventory").map((source) => ({ source, lastPulledAt: ago(400 * DAY) })),
    ]);
    const background = cardSettings().backgroundSync;
    const body = (await ok(dataSourcesRoute.GET, "/api/sync/data-sources/health")) as { success: boolean; dataSources: DataSourceCard[] };
    expect(body.success).toBe(true);
    expect(body.dataSources).toHaveLength(7);
    expect(body.dataSources[0]).toEqual(card("shipments", "connected", ago(MINUTE), "1 minute ago", null, background));
    expect(body.dataSources[1]).toEqual(card("fc-inventory", "stale", ago(400 * DAY), "1 year ago", null, background));
    expect(body.dataSources.slice(2).map((c) => c.status)).toEqual(["never", "never", "never", "never", "never"]);

    const other = await seller((await createUser()).id);
    const foreign = await failing(dataSourcesRoute.GET, `/api/sync/data-sources/health?sellerConnectionId=${other.id}`);
    expect(foreign.status).toBe(404);
    const malformed = await failing(dataSourcesRoute.GET, "/api/sync/data-sources/health?sellerConnectionId=");
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.message).toMatch(/^sellerConnectionId:/);
  });
});

describe("GET /api/v1/connectors/health", () => {
  async function twoConnections() {
    const user = await createUser();
    const live = await seller(user.id, "connected", new Date("2026-03-01T00:00:00Z"));
    const stuck = await seller(user.id, "reauthorization_required", new Date("2026-02-01T00:00:00Z"));
    await states(live.id, SYNC_PLAN.map((e) => ({ source: e.source, lastPulledAt: ago(MINUTE) })));
    await run(live.id, { status: "completed", startedAt: ago(2 * HOUR), completedAt: ago(HOUR) });
    await run(live.id, { status: "failed", startedAt: ago(50 * MINUTE), completedAt: ago(40 * MINUTE) });
    await run(live.id, { status: "running", startedAt: ago(10 * MINUTE) });
    return { user, live, stuck };
  }

  const allCards = (status: DataSourceCard["status"], pulled: Date | null, words: string, syncEnabled: boolean) =>
    (Object.keys(DATA_SOURCE_GROUPS) as (keyof typeof DATA_SOURCE_GROUPS)[]).map((g) => card(g, status, pulled, words, null, syncEnabled));

  it("answers each connection with its status, last completed sync and cards", async () => {
    const { user, live, stuck } = await twoConnections();
    expect(await connectorsHealth(user.id, [live.id, stuck.id], NOW, SETTINGS)).toEqual({
      success: true,
      connectors: [
        {
          id: "amazon",
          name: "Amazon SP-API",
          status: "degraded",
          connections: [
            { sellerConnectionId: live.id, status: "connected", lastSyncAt: ago(HOUR).toISOString(), dataSources: allCards("connected", ago(MINUTE), "1 minute ago", true) },
            { sellerConnectionId: stuck.id, status: "reauthorization_required", lastSyncAt: null, dataSources: allCards("never", null, "never", false) },
          ],
        },
      ],
    });
  });

  it("is healthy with every connection connected and fresh, unhealthy with none connected, not_connected with none", async () => {
    const { user, live, stuck } = await twoConnections();
    expect((await connectorsHealth(user.id, [live.id], NOW, SETTINGS)).connectors[0]!.status).toBe("healthy");
    expect((await connectorsHealth(user.id, [live.id], new Date(NOW.getTime() + 3 * PERIOD), SETTINGS)).connectors[0]!.status).toBe("degraded");
    expect((await connectorsHealth(user.id, [stuck.id], NOW, SETTINGS)).connectors[0]!.status).toBe("unhealthy");
    expect(await connectorsHealth(user.id, [], NOW, SETTINGS)).toEqual({ success: true, connectors: [{ id: "amazon", name: "Amazon SP-API", status: "not_connected", connections: [] }] });
  });

  it("answers the route for the caller's connections, newest connected first, and 404s foreign ids", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const { user, live, stuck } = await twoConnections();
    session.userId = user.id;
    const body = (await ok(connectorsRoute.GET, "/api/v1/connectors/health")) as Awaited<ReturnType<typeof connectorsHealth>>;
    expect(body.connectors[0]!.status).toBe("degraded");
    expect(body.connectors[0]!.connections.map((c) => [c.sellerConnectionId, c.status, c.lastSyncAt])).toEqual([
      [live.id, "connected", ago(HOUR).toISOString()],
      [stuck.id, "reauthorization_required", null],
    ]);
    expect(body.connectors[0]!.connections[0]!.dataSources).toEqual(allCards("connected", ago(MINUTE), "1 minute ago", cardSettings().backgroundSync));
    const named = (await ok(connectorsRoute.GET, `/api/v1/connectors/health?sellerConnectionId=${live.id}`)) as Awaited<ReturnType<typeof connectorsHealth>>;
    expect(named.connectors[0]!.connections.map((c) => c.sellerConnectionId)).toEqual([live.id]);

    const other = await createUser();
    expect((await failing(connectorsRoute.GET, `/api/v1/connectors/health?userId=${other.id}`)).status).toBe(404);
    expect((await failing(connectorsRoute.GET, `/api/v1/connectors/health?sellerConnectionId=${(await seller(other.id)).id}`)).status).toBe(404);
  });
});

describe("publicErrorText", () => {
  it("passes the engine's reasons and Amazon's answers", () => {
    expect(publicErrorText("Amazon answered 400 InvalidInput: bad window")).toBe("Amazon answered 400 InvalidInput: bad window");
    expect(publicErrorText("Amazon did not finish the report within 24 hours (still IN_PROGRESS)")).toBe("Amazon did not finish the report within 24 hours (still IN_PROGRESS)");
    expect(publicErrorText(null)).toBeNull();
    expect(publicErrorText("")).toBeNull();
  });

  it("keeps the first line and blanks URLs, paths and tokens", () => {
    expect(publicErrorText("Report download failed: https://tortuga.s3.amazonaws.com/doc?X-Amz-Signature=abc")).toBe("Report download failed: <url>");
    expect(publicErrorText("Error: boom\n    at run (/work/main/lib/sync/x.ts:1:2)")).toBe("Error: boom");
    expect(publicErrorText("could not read /var/lib/app/secret.json")).toBe("could not read <path>");
    expect(publicErrorText("refresh failed for Atzr|IwEBIabcdef")).toBe("refresh failed for <token>");
    const long = publicErrorText(`Amazon answered 400 InvalidInput: ${"x".repeat(400)}`)!;
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });

  it("replaces text from our own machinery", () => {
    for (const text of [
      "connect ECONNREFUSED 10.0.0.5:5432",
      "Invalid `prisma.syncTask.update()` invocation:",
      "ENOENT: no such file or directory, open 'x'",
      'relation "SyncTask" does not exist',
      "getaddrinfo EAI_AGAIN db",
    ]) {
      expect(publicErrorText(text)).toBe(INTERNAL);
    }
  });
});
