// A historical sync against Amazon's own sandbox host, as tests/support/static-sp-api.ts plays it:
// only the static examples in Amazon's models answer, everything else is 400 InvalidInput "Could not
// match input arguments". Our sync sends its own parameters (its windows, MaxResultsPerPage=100, our
// report types and marketplace), which no static example holds, so what a seller connected to the
// sandbox sees is: the sync finishes, nothing crashes or hangs, every source says why it has no data
// (Amazon's own reason), and the one dynamic source (FBA inventory summaries) is pulled, empty.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS_AVAILABLE, MODELS_DIR, NO_MATCH_BODY, EXAMPLE_DOCUMENT_TSV, QUOTA_EXCEEDED_BODY, SANDBOX_THROTTLE, startStaticSpApi, type StaticCall, type StaticSpApi } from "../../support/static-sp-api";
import { startSyncStack, type AmazonSyncStack, type ConnectedSeller } from "../../support/sync-stack";

/** A clone without ../shared may skip the model tests locally; CI must not. */
const MODELS_REQUIRED = process.env.CI === "true";
if (!MODELS_AVAILABLE && !MODELS_REQUIRED) console.warn(`[static examples] skipped: SP-API models not found at ${MODELS_DIR}`);

const MARKETPLACE = "ATVPDKIKX0DER";
/** What a task refused by Amazon's static sandbox carries (reasonOf of the 400). */
const AMAZON_REASON = `Amazon answered 400 ${NO_MATCH_BODY.errors[0]!.code}: ${NO_MATCH_BODY.errors[0]!.message}`;

describe.runIf(MODELS_REQUIRED)("static examples under CI", () => {
  it("has Amazon's models", () => {
    expect(MODELS_AVAILABLE, `SP-API models not found at ${MODELS_DIR}`).toBe(true);
  });
});

describe.skipIf(!MODELS_AVAILABLE)("a historical sync against Amazon's static sandbox examples", () => {
  let server: StaticSpApi;
  let stack: AmazonSyncStack;
  let db: typeof import("../../../lib/db").db;
  let plan: typeof import("../../../lib/sync/plan");
  let seller: ConnectedSeller;
  let syncRunId: string;
  /** The calls the sync made. */
  let syncCalls: StaticCall[];

  beforeAll(async () => {
    // Throttled as Amazon's sandbox host is (5 rps, burst 15 for everything): a 429 is waited out.
    server = await startStaticSpApi({ throttle: SANDBOX_THROTTLE });
    stack = await startSyncStack({ amazon: { spApiUrl: server.url, lwaUrl: server.lwaUrl } });
    ({ db } = await import("../../../lib/db"));
    plan = await import("../../../lib/sync/plan");
    seller = await stack.connectSellerWithToken({ refreshToken: "Atzr|static-sandbox-refresh-token", marketplaceIds: [MARKETPLACE] });
    syncRunId = await stack.requestSync(seller.sellerConnectionId, `test-static-examples:${seller.sellerConnectionId}`, { timeoutMs: 240_000 });
    // The parent's last steps (the completion event) run after the SyncRun is closed.
    await stack.waitForRunnerIdle(60_000);
    syncCalls = server.calls();
  }, 360_000);

  afterAll(async () => {
    await stack?.close();
    await server?.close();
  });

  const tasksOf = async () => db.syncTask.findMany({ where: { syncRunId }, orderBy: [{ source: "asc" }, { windowStart: "asc" }] });
  const reportSources = () => plan.SYNC_PLAN.filter((e) => e.kind === "report" || e.kind === "snapshot-report").map((e) => e.source);
  /** Sources Amazon refused as a whole (the request itself is refused: no later window can pass). */
  const refusedSources = () => [...reportSources(), "settlements"];
  /** API sources read window by window: each window is refused on its own. */
  const windowedApiSources = ["financial-events", "inbound-shipments"];

  it("ends: the run is closed, every task ended, and no function run failed or is left open", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId } });
    // The inventory summaries were pulled (empty): the run completed, listing what could not be pulled.
    expect(run.status).toBe("completed");
    expect(run.progress).toBe(100);
    expect(run.unitsDone).toBe(run.unitsPlanned);
    expect(run.message).toMatch(/^Sync completed; 15 data sources could not be pulled \(/);
    for (const source of [...refusedSources(), ...windowedApiSources]) expect(run.message).toContain(plan.planEntry(source).title);

    const tasks = await tasksOf();
    const open = tasks.filter((t) => !["done", "empty", "failed", "skipped"].includes(t.status));
    expect(open.map((t) => `${t.source} ${t.status}`)).toEqual([]);

    const events = await db.progressEvent.findMany({ where: { syncRunId }, orderBy: { id: "asc" } });
    expect(events.at(-1)).toMatchObject({ status: "completed", progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    // Every run of the sync (the parent and one child per source) completed; none failed or hangs.
    const runs = await db.$queryRawUnsafe<{ function_id: string; status: string; error: unknown; output: unknown }[]>(
      `SELECT function_id, status, error, output FROM runner_run WHERE event->'data'->>'sellerConnectionId' = $1`,
      seller.sellerConnectionId,
    );
    const parent = runs.filter((r) => r.function_id.endsWith("sync-seller"));
    const children = runs.filter((r) => r.function_id.endsWith("sync-source"));
    expect(parent.map((r) => r.status)).toEqual(["completed"]);
    expect(parent[0]!.output).toMatchObject({ syncRunId, status: "completed" });
    // One child run per source, one per lane for a source read in lanes (each has more windows than lanes here).
    expect(children).toHaveLength(plan.SYNC_PLAN.reduce((n, e) => n + plan.lanesOf(e.source), 0));
    expect(runs.filter((r) => r.status !== "completed").map((r) => `${r.function_id} ${r.status} ${JSON.stringify(r.error)}`)).toEqual([]);

    // No step was retried: a refusal is final at once (a 400 does not pass on a retry).
    const retried = await db.$queryRawUnsafe<{ name: string; attempt: number; status: string }[]>(
      `SELECT s.name, s.attempt, s.status FROM runner_step s JOIN runner_run r ON r.id = s.run_id
       WHERE r.event->'data'->>'sellerConnectionId' = $1 AND (s.attempt > 0 OR s.status <> 'completed')`,
      seller.sellerConnectionId,
    );
    expect(retried).toEqual([]);
  });

  it("asks Amazon once per source or window, and Amazon answers every data request with its 400", async () => {
    const tasks = await tasksOf();
    // A call the sandbox throttled (429) is asked again after the wait: count the answered ones.
    const answered = syncCalls.filter((c) => c.status !== 429);
    const count = (operation: string) => answered.filter((c) => c.operation === operation).length;
    const windows = (source: string) => tasks.filter((t) => t.source === source).length;
    expect(count("createReport")).toBe(reportSources().length);
    expect(count("getReports")).toBe(1);
    // The API sources stop at their first refused request: one per lane at most (a lane whose window
    // another lane's refusal skipped asks nothing, or loses the race and finds its window skipped).
    const failedTasks = (source: string) => tasks.filter((t) => t.source === source && t.status === "failed").length;
    expect(count("listFinancialEvents")).toBeGreaterThanOrEqual(failedTasks("financial-events"));
    expect(count("listFinancialEvents")).toBeLessThanOrEqual(plan.lanesOf("financial-events"));
    expect(count("getShipments")).toBe(1);
    expect(windows("financial-events")).toBeGreaterThan(plan.lanesOf("financial-events"));
    expect(count("getInventorySummaries")).toBe(1);
    expect(count("lwa")).toBeGreaterThanOrEqual(1);
    const others = answered.filter((c) => !["createReport", "getReports", "listFinancialEvents", "getShipments", "getInventorySummaries", "lwa"].includes(c.operation));
    expect(others).toEqual([]);
    // No static example holds our parameters: every data call is the no-match 400, except the dynamic inventory.
    const answers = answered.filter((c) => c.operation !== "lwa").map((c) => `${c.operation} ${c.status} ${c.answer}`);
    expect(new Set(answers)).toEqual(
      new Set(["createReport 400 none", "getReports 400 none", "listFinancialEvents 400 none", "getShipments 400 none", "getInventorySummaries 200 dynamic"]),
    );
    expect(syncCalls.filter((c) => c.operation === "lwa").every((c) => c.status === 200)).toBe(true);
  });

  it("ends each source as the examples allow, with Amazon's reason on every failed task", async () => {
    const tasks = await tasksOf();
    const bySource = new Map<string, typeof tasks>();
    for (const t of tasks) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t]);
    expect(new Set(bySource.keys())).toEqual(new Set(plan.SYNC_PLAN.map((e) => e.source)));

    // Report sources and settlements: createReport / getReports refused, so the source stops at its first
    // window (failed, with the reason) and the rest of its windows are skipped with the same reason.
    for (const source of refusedSources()) {
      const list = bySource.get(source)!;
      expect(list.filter((t) => t.status === "failed"), source).toHaveLength(1);
      expect(list.filter((t) => t.status !== "failed").every((t) => t.status === "skipped"), source).toBe(true);
      for (const t of list) expect(t.error, source).toBe(AMAZON_REASON);
    }
    // Financial events and inbound shipments: the first request of a lane refused, so the source stops:
    // each window Amazon refused is failed, the rest skipped, all with Amazon's reason.
    for (const source of windowedApiSources) {
      const list = bySource.get(source)!;
      expect(list.length, source).toBeGreaterThan(plan.lanesOf(source));
      const failed = list.filter((t) => t.status === "failed").length;
      expect(failed, source).toBeGreaterThanOrEqual(1);
      expect(failed, source).toBeLessThanOrEqual(plan.lanesOf(source));
      for (const t of list) expect({ source, status: t.status === "failed" ? "failed" : t.status, error: t.error }).toEqual({ source, status: t.status === "failed" ? "failed" : "skipped", error: AMAZON_REASON });
    }
    // FBA inventory summaries: Amazon's dynamic sandbox, nothing seeded: pulled, empty.
    expect(bySource.get("inventory-summaries")!.map((t) => ({ status: t.status, rows: t.rows, error: t.error }))).toEqual([{ status: "empty", rows: 0, error: null }]);

    // The refused sources say so in their function run's result.
    const children = await db.$queryRawUnsafe<{ output: { source: string; refused?: string } | null }[]>(
      `SELECT output FROM runner_run WHERE function_id LIKE '%sync-source' AND event->'data'->>'sellerConnectionId' = $1`,
      seller.sellerConnectionId,
    );
    const refused = Object.fromEntries(children.filter((c) => c.output?.refused).map((c) => [c.output!.source, c.output!.refused]));
    expect(refused).toEqual(Object.fromEntries([...refusedSources(), ...windowedApiSources].map((s) => [s, AMAZON_REASON])));
  });

  it("shows every source but the inventory summaries in error in the data-source states, with the reason", async () => {
    const states = await db.dataSourceState.findMany({ where: { sellerConnectionId: seller.sellerConnectionId } });
    expect(new Set(states.map((s) => s.source))).toEqual(new Set(plan.SYNC_PLAN.map((e) => e.source)));
    for (const state of states) {
      if (state.source === "inventory-summaries") {
        expect(state).toMatchObject({ health: "ok", lastError: null });
        expect(state.lastPulledAt).not.toBeNull();
      } else {
        // Nothing of the source was pulled (no window done): error, not degraded; no watermark moves.
        expect({ source: state.source, health: state.health, lastError: state.lastError, lastPulledAt: state.lastPulledAt, watermark: state.watermark }).toEqual({
          source: state.source,
          health: "error",
          lastError: AMAZON_REASON,
          lastPulledAt: null,
          watermark: null,
        });
      }
    }
    const audit = await db.auditLog.findMany({ where: { syncRunId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["sync.started", "sync.completed"]);
  });

  it("lands nothing in the ledger: no example was reachable with the sync's parameters", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId } });
    expect(Object.values(run.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(0);
    const tables = [...new Set([...plan.SYNC_PLAN.map((e) => e.table), "InboundShipmentItem"])];
    for (const table of tables) {
      const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "sellerConnectionId" = $1`, seller.sellerConnectionId);
      expect({ table, rows: Number(rows[0]!.n) }).toEqual({ table, rows: 0 });
    }
  });

  // The server itself: the models' examples answer, anything else does not (so the sync above met
  // Amazon's sandbox, not a broken fake). Its own instance, unthrottled, so the checks run back to back.
  describe("the static server", () => {
    let direct: StaticSpApi;
    let token: string;
    const call = async (method: string, path: string, init: { body?: unknown; token?: string | null; on?: StaticSpApi } = {}) => {
      const res = await fetch(`${(init.on ?? direct).url}${path}`, {
        method,
        headers: {
          ...(init.token === null ? {} : { "x-amz-access-token": init.token ?? token }),
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };

    const tokenFrom = async (on: StaticSpApi) => {
      const res = await fetch(on.lwaUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "Atzr|any", client_id: "any", client_secret: "any" }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
      expect(body).toMatchObject({ refresh_token: "Atzr|any", token_type: "bearer", expires_in: 3600 });
      expect(body.access_token).toMatch(/^Atza\|/);
      return body.access_token;
    };

    beforeAll(async () => {
      direct = await startStaticSpApi();
      token = await tokenFrom(direct);
    });

    afterAll(async () => {
      await direct?.close();
    });

    it("answers a request with exactly an example's parameters with its response and status", async () => {
      const shipments = await call("GET", `/fba/inbound/v0/shipments?MarketplaceId=${MARKETPLACE}&QueryType=SHIPMENT`);
      expect(shipments.status).toBe(200);
      expect((shipments.body as { payload: { ShipmentData: { ShipmentId: string }[] } }).payload.ShipmentData[0]!.ShipmentId).toBe("FBA15DJ9S3J5");
      const created = await call("POST", "/reports/2021-06-30/reports", {
        body: { marketplaceIds: ["A1PA6795UKMFR9", MARKETPLACE], dataStartTime: "2024-03-10T20:11:24.000Z", reportType: "GET_MERCHANT_LISTINGS_ALL_DATA" },
      });
      expect(created).toEqual({ status: 202, body: { reportId: "ID323" } });
      const report = await call("GET", "/reports/2021-06-30/reports/ID323");
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ processingStatus: "IN_PROGRESS" });
      const bad = await call("GET", "/reports/2021-06-30/reports/badReportId1");
      expect(bad).toEqual({ status: 400, body: { errors: [{ code: "400", message: "Invalid input", details: "Invalid input" }] } });
      const events = await call("GET", "/finances/v0/financialEvents?MaxResultsPerPage=10&NextToken=jehgri34yo7jr9e8f984tr9i4o");
      expect(events.status).toBe(200);
      expect(Object.keys((events.body as { payload: { FinancialEvents: object } }).payload.FinancialEvents).length).toBeGreaterThan(0);
    });

    it("answers anything else with Amazon's no-match 400, and a call without a token with 403", async () => {
      // The example's parameters plus one more (what our sync sends) match nothing.
      expect(await call("GET", `/fba/inbound/v0/shipments?MarketplaceId=${MARKETPLACE}&QueryType=SHIPMENT&ShipmentIdList=X`)).toEqual({ status: 400, body: NO_MATCH_BODY });
      expect(await call("GET", "/finances/v0/financialEvents?MaxResultsPerPage=100&PostedAfter=2025-01-01T00:00:00.000Z")).toEqual({ status: 400, body: NO_MATCH_BODY });
      expect((await call("GET", "/reports/2021-06-30/reports/ID323", { token: null })).status).toBe(403);
      expect((await call("GET", "/reports/2021-06-30/reports/ID323", { token: "Atza|not-issued" })).status).toBe(403);
    });

    it("serves the example's report document as plain TSV (its CloudFront URL rewritten to this server)", async () => {
      const doc = await call("GET", "/reports/2021-06-30/documents/0356cf79-b8b0-4226-b4b9-0ee058ea5760");
      expect(doc.status).toBe(200);
      const url = String(doc.body!.url);
      expect(url).toBe(direct.documentUrl("https://d34o8swod1owfl.cloudfront.net/Report_47700__GET_MERCHANT_LISTINGS_ALL_DATA_.txt"));
      expect(doc.body!.compressionAlgorithm).toBeUndefined();
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(EXAMPLE_DOCUMENT_TSV);
    });

    it("throttles every operation from one bucket, as Amazon's sandbox does, answering 429 QuotaExceeded", async () => {
      const throttled = await startStaticSpApi({ throttle: { rate: 0.5, burst: 2 } });
      try {
        const own = await tokenFrom(throttled);
        const statuses = [];
        for (const path of ["/reports/2021-06-30/reports/ID323", "/sellers/v1/marketplaceParticipations", "/reports/2021-06-30/reports/ID323"]) {
          const res = await call("GET", path, { on: throttled, token: own });
          statuses.push(res.status);
          if (res.status === 429) expect(res.body).toEqual(QUOTA_EXCEEDED_BODY);
        }
        expect(statuses).toEqual([200, 200, 429]);
      } finally {
        await throttled.close();
      }
    });

    it("keeps FBA inventory dynamic: what the sandbox-only operations put in, the summaries return", async () => {
      const sku = `SKU-${Date.now()}`;
      expect((await call("POST", "/fba/inventory/v1/items", { body: { sellerSku: sku, marketplaceId: MARKETPLACE, productName: "Test item" } })).status).toBe(200);
      expect((await call("POST", "/fba/inventory/v1/items/inventory", { body: { inventoryItems: [{ sellerSku: sku, marketplaceId: MARKETPLACE, quantity: 3 }] } })).status).toBe(200);
      const q = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${MARKETPLACE}&marketplaceIds=${MARKETPLACE}&details=true`;
      const listed = await call("GET", q);
      expect(listed.status).toBe(200);
      expect((listed.body as { payload: { inventorySummaries: unknown[] } }).payload.inventorySummaries).toEqual([
        expect.objectContaining({ sellerSku: sku, totalQuantity: 3, inventoryDetails: expect.objectContaining({ fulfillableQuantity: 3 }) }),
      ]);
      expect((await call("DELETE", `/fba/inventory/v1/items/${sku}?marketplaceId=${MARKETPLACE}`)).status).toBe(200);
      expect((await call("GET", q)).body).toMatchObject({ payload: { inventorySummaries: [] } });
    });
  });
});
