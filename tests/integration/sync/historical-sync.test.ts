// The historical sync end to end: the SP-API sandbox over HTTP (time-scaled), the app's Inngest
// functions driven by the embedded runner, the test database. A connected seller gets 18 months of
// data in every ledger table, as many rows as the sandbox's generator produced for the windows asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROW_PRODUCERS } from "../../../sandbox/reports/report-rows";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type SyncStack } from "../../support/sync-stack";

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
let plan: typeof import("../../../lib/sync/plan");
let seller: Awaited<ReturnType<SyncStack["connectSeller"]>>;
let firstRun: string;
/** Both syncs end their windows here: "the same sync twice" covers the same span of Amazon time. */
let asOf: string;

const tableDelegate = (table: string) => {
  const key = table.charAt(0).toLowerCase() + table.slice(1);
  return (db as unknown as Record<string, { count(args: unknown): Promise<number> }>)[key]!;
};

async function checksums(sellerConnectionId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of plan.SYNC_PLAN) {
    const rows = await db.$queryRawUnsafe<{ n: bigint; sum: string | null }[]>(
      `SELECT count(*) AS n, md5(string_agg(md5(t::text), '' ORDER BY t.id)) AS sum FROM "${entry.table}" t WHERE "sellerConnectionId" = $1`,
      sellerConnectionId,
    );
    out[entry.table] = `${rows[0]!.n}:${rows[0]!.sum}`;
  }
  return out;
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 11, startTime: WORLD_END } });
  ({ db } = await import("../../../lib/db"));
  plan = await import("../../../lib/sync/plan");
  seller = await stack.connectSeller(0);
  asOf = stack.sandbox.clock.now().toISOString();
  firstRun = await stack.requestSync(seller.sellerConnectionId, `test-historical-1:${seller.sellerConnectionId}`, { asOf });
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

describe("historical sync", () => {
  it("completes with every task done and a progress stream that ends at 100", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: firstRun }, include: { tasks: true } });
    const notDone = run.tasks.filter((t) => t.status !== "done" && t.status !== "empty");
    expect(notDone.map((t) => `${t.source} ${t.status} ${t.error}`)).toEqual([]);
    expect(run.status).toBe("completed");
    expect(run.progress).toBe(100);
    expect(run.unitsDone).toBe(run.unitsPlanned);
    const events = await db.progressEvent.findMany({ where: { syncRunId: firstRun }, orderBy: { id: "asc" } });
    expect(events.at(-1)).toMatchObject({ status: "completed", progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.some((e) => /^Downloading inventory ledger, \w{3} \d{4}-\w{3} \d{4}$/.test(e.message))).toBe(true);
  });

  it("stores as many rows per report table as the generator produced for the windows it asked for", async () => {
    const world = stack.sandbox.world(seller.sellingPartnerId);
    const tasks = await db.syncTask.findMany({ where: { syncRunId: firstRun } });
    for (const entry of plan.SYNC_PLAN) {
      if (!("reportType" in entry) || entry.kind === "listed-report") continue;
      const mine = tasks.filter((t) => t.source === entry.source);
      const snapshot = entry.kind === "snapshot-report";
      const fromMs = snapshot ? world.startMs : Math.min(...mine.map((t) => t.windowStart!.getTime()));
      const toMs = snapshot ? world.endMs + 1 : Math.max(...mine.map((t) => t.windowEnd!.getTime()));
      const produce = ROW_PRODUCERS[entry.reportType] as (ctx: unknown) => Iterable<unknown>;
      let expected = 0;
      for (const row of produce({ w: world, fromMs, toMs, options: entry.kind === "report" ? (entry.reportOptions ?? {}) : {} })) if (row) expected++;
      const stored = await tableDelegate(entry.table).count({ where: { sellerConnectionId: seller.sellerConnectionId } });
      expect({ source: entry.source, stored }).toEqual({ source: entry.source, stored: expected });
    }
    for (const table of ["FinancialEvent", "InboundShipment", "InboundShipmentItem", "InventorySummary", "SettlementLine"]) {
      expect(await tableDelegate(table).count({ where: { sellerConnectionId: seller.sellerConnectionId } }), table).toBeGreaterThan(0);
    }
  });

  it("names its steps like a log", async () => {
    const steps = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT DISTINCT "name" FROM "runner_step" WHERE "name" LIKE 'create-report:%' OR "name" LIKE 'download-report:%' OR "name" LIKE 'financial-events:%'`);
    const names = steps.map((s) => s.name);
    expect(names.some((n) => /^create-report:GET_LEDGER_DETAIL_VIEW_DATA:\d{4}-\d{2}\.\.\d{4}-\d{2}$/.test(n))).toBe(true);
    expect(names.some((n) => /^download-report:GET_FBA_REIMBURSEMENTS_DATA:/.test(n))).toBe(true);
    expect(names.some((n) => /^financial-events:listFinancialEvents:\d{4}-\d{2}/.test(n))).toBe(true);
  });

  it("records the sync in the audit trail and the data-source states", async () => {
    const audit = await db.auditLog.findMany({ where: { syncRunId: firstRun }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["sync.started", "sync.completed"]);
    const states = await db.dataSourceState.findMany({ where: { sellerConnectionId: seller.sellerConnectionId } });
    expect(new Set(states.map((s) => s.source))).toEqual(new Set(plan.SYNC_PLAN.map((e) => e.source)));
    for (const state of states) {
      expect(state.health, state.source).toBe("ok");
      expect(state.lastPulledAt, state.source).not.toBeNull();
    }
  });

  it("adds no row and changes none when the same sync runs again", async () => {
    const before = await checksums(seller.sellerConnectionId);
    const shipmentsBefore = await db.inboundShipment.findMany({ where: { sellerConnectionId: seller.sellerConnectionId }, orderBy: { id: "asc" } });
    const second = await stack.requestSync(seller.sellerConnectionId, `test-historical-2:${seller.sellerConnectionId}`, { asOf, timeoutMs: 280_000 });
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: second } });
    expect(run.status).toBe("completed");
    const after = await checksums(seller.sellerConnectionId);
    // Inbound shipments move on with Amazon's clock (a shipment still receiving at the first sync is
    // closed by the second): those are Amazon's changes, held apart below. Everything else is identical.
    const moving = ["InboundShipment", "InboundShipmentItem"];
    const strip = (c: Record<string, string>) => Object.fromEntries(Object.entries(c).filter(([t]) => !moving.includes(t)));
    expect(strip(after)).toEqual(strip(before));
    const shipmentsAfter = new Map((await db.inboundShipment.findMany({ where: { sellerConnectionId: seller.sellerConnectionId } })).map((s) => [s.id, s]));
    for (const shipment of shipmentsBefore) {
      const now = shipmentsAfter.get(shipment.id);
      expect(now, shipment.shipmentId).toBeDefined();
      if (now!.shipmentStatus === shipment.shipmentStatus) expect(now).toEqual(shipment);
    }
  }, 300_000);
});
