// A historical sync through a fault storm in the sandbox: 10% of calls throttled (429), 2% answered
// 500, and one report of each kind of trouble aimed at a type (sandbox faults.reportTypes): the first
// ledger-detail report ends FATAL (the 18-month window is split), the first inventory snapshot ends
// FATAL (a snapshot cannot be split: asked again after the cooldown), the first all-orders document is
// corrupt, the returns document has malformed rows, and the replacements type is refused (403, the
// account lacks its role). The run completes; what could be pulled is, the rest is listed with reasons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROW_PRODUCERS } from "../../../sandbox/reports/report-rows";
import type { FaultConfig } from "../../../sandbox/server";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type SyncStack } from "../../support/sync-stack";

const FATAL_SPLIT = "GET_LEDGER_DETAIL_VIEW_DATA";
const FATAL_RETRY = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA";
const CORRUPT = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL";
const MALFORMED = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA";
const REFUSED = "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA";

const FAULTS: FaultConfig = {
  throttle: { "*": 0.1 },
  error500: { "*": 0.02 },
  reportTypes: {
    [FATAL_SPLIT]: { fatal: 1 },
    [FATAL_RETRY]: { fatal: 1 },
    [CORRUPT]: { corruptDocument: 1 },
    [MALFORMED]: { malformedRows: 1 },
    [REFUSED]: { refuse: true },
  },
};

// x60 (not the stack's x600): Amazon's 30-minute regeneration limit is 30 s real, longer than a step
// takes on a loaded box, so a request sent too soon after another shows (at x600 any step outlasts it).
const TIME_SCALE = 60;

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
let plan: typeof import("../../../lib/sync/plan");
let seller: Awaited<ReturnType<SyncStack["connectSeller"]>>;
let runId: string;
let tasks: Awaited<ReturnType<typeof loadTasks>>;
/** Every report the sandbox holds for the seller, as getReports lists them (after the run, faults off). */
let reports: { reportId: string; reportType: string; dataStartTime: string; dataEndTime: string; createdTime: string; processingStatus: string }[];

const sourceOf = (reportType: string) => plan.SYNC_PLAN.find((e) => "reportType" in e && e.reportType === reportType)!.source;
const loadTasks = () => db.syncTask.findMany({ where: { syncRunId: runId }, orderBy: [{ source: "asc" }, { windowStart: "asc" }] });

async function listReports(accessToken: string, reportType: string): Promise<typeof reports> {
  const out: typeof reports = [];
  let query = new URLSearchParams({ reportTypes: reportType, pageSize: "100" });
  for (;;) {
    const res = await fetch(new URL(`/reports/2021-06-30/reports?${query}`, stack.sandbox.url), { headers: { "x-amz-access-token": accessToken } });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reports: typeof reports; nextToken?: string };
    out.push(...body.reports);
    if (!body.nextToken) return out;
    query = new URLSearchParams({ nextToken: body.nextToken });
  }
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 11, startTime: WORLD_END, faults: FAULTS, timeScale: TIME_SCALE } });
  ({ db } = await import("../../../lib/db"));
  plan = await import("../../../lib/sync/plan");
  seller = await stack.connectSeller(0);
  runId = await stack.requestSync(seller.sellerConnectionId, `test-fault-storm:${seller.sellerConnectionId}`, { timeoutMs: 400_000 });
  stack.sandbox.setFaults({});
  tasks = await loadTasks();
  const { accessToken } = stack.sandbox.grant(seller.sellingPartnerId);
  const types = plan.SYNC_PLAN.flatMap((e) => (e.kind === "report" || e.kind === "snapshot-report" ? [e.reportType] : []));
  reports = (await Promise.all(types.map((t) => listReports(accessToken, t)))).flat();
}, 480_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

describe("a sync through a fault storm", () => {
  it("completes, every task untouched by a non-recoverable fault done or empty, the rest failed or skipped with reasons", async () => {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("completed");
    expect(run.progress).toBe(100);
    const unfinished = tasks.filter((t) => !["done", "empty", "failed", "skipped"].includes(t.status));
    expect(unfinished.map((t) => `${t.source} ${t.status}`)).toEqual([]);
    // Only the corrupt document's window and the refused source are not pulled.
    const notPulled = tasks.filter((t) => t.status !== "done" && t.status !== "empty");
    expect(notPulled.map((t) => `${t.source} ${t.status}`).sort()).toEqual([`${sourceOf(CORRUPT)} failed`, `${sourceOf(REFUSED)} failed`].sort());
    for (const t of notPulled) expect(t.error, t.source).toBeTruthy();
    expect(run.message).toMatch(/^Sync completed; 2 data sources could not be pulled/);
    const audit = await db.auditLog.findMany({ where: { syncRunId: runId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["sync.started", "sync.completed"]);
  });

  it("fails the task whose document is corrupt, with the reason, and pulls the source's other windows", () => {
    const mine = tasks.filter((t) => t.source === sourceOf(CORRUPT));
    expect(mine.length).toBeGreaterThan(1);
    const failed = mine.filter((t) => t.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/corrupt/i);
    // The sandbox corrupted the first all-orders report it accepted: the oldest window.
    const first = reports.filter((r) => r.reportType === CORRUPT).sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime))[0]!;
    expect(Date.parse(first.dataStartTime)).toBe(failed[0]!.windowStart!.getTime());
  });

  it("counts malformed rows on their task and keeps them with their line numbers", async () => {
    const [task] = tasks.filter((t) => t.source === sourceOf(MALFORMED));
    expect(task).toMatchObject({ status: "done" });
    expect(task!.rows).toBeGreaterThan(0);
    expect(task!.malformedRows).toBeGreaterThan(0);
    const rejected = await db.syncRejectedRow.findMany({ where: { syncTaskId: task!.id }, orderBy: { line: "asc" } });
    expect(rejected).toHaveLength(task!.malformedRows);
    for (const row of rejected) {
      expect(row.line).toBeGreaterThan(1); // line 1 is the header
      expect(row.reason).not.toBe("");
    }
    expect(new Set(rejected.map((r) => r.line)).size).toBe(rejected.length);
  });

  it("fails the refused source with Amazon's reason and shows it in its data-source state; other sources are healthy or degraded", async () => {
    const refused = tasks.filter((t) => t.source === sourceOf(REFUSED));
    expect(refused.map((t) => t.status)).toEqual(["failed"]);
    expect(refused[0]!.error).toBe("Amazon answered 403 Unauthorized: Access to requested resource is denied.");
    const states = new Map((await db.dataSourceState.findMany({ where: { sellerConnectionId: seller.sellerConnectionId } })).map((s) => [s.source, s]));
    expect(states.get(sourceOf(REFUSED))).toMatchObject({ health: "error", lastError: refused[0]!.error });
    expect(states.get(sourceOf(CORRUPT))).toMatchObject({ health: "degraded" });
    expect(states.get(sourceOf(CORRUPT))!.lastError).toMatch(/corrupt/i);
    expect(states.get(sourceOf(CORRUPT))!.lastPulledAt).not.toBeNull();
    for (const entry of plan.SYNC_PLAN) {
      if ([sourceOf(REFUSED), sourceOf(CORRUPT)].includes(entry.source)) continue;
      expect({ source: entry.source, health: states.get(entry.source)?.health }).toEqual({ source: entry.source, health: "ok" });
    }
  });

  it("splits the FATAL window and pulls both halves, every ledger row of the 18 months", async () => {
    const mine = tasks.filter((t) => t.source === sourceOf(FATAL_SPLIT));
    // Split once: the halves wait for Amazon's regeneration limit, so neither is refused for asking too soon.
    expect(mine.map((t) => t.status)).toEqual(["done", "done"]);
    const asked = reports.filter((r) => r.reportType === FATAL_SPLIT).sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
    expect(asked.map((r) => r.processingStatus)).toEqual(["FATAL", "DONE", "DONE"]);
    const spacing = (plan.planEntry(sourceOf(FATAL_SPLIT)) as { fatalCooldownMinutes: number }).fatalCooldownMinutes * 60_000;
    for (let i = 1; i < asked.length; i++) expect(Date.parse(asked[i]!.createdTime) - Date.parse(asked[i - 1]!.createdTime)).toBeGreaterThanOrEqual(spacing);
    const from = Math.min(...mine.map((t) => t.windowStart!.getTime()));
    const to = Math.max(...mine.map((t) => t.windowEnd!.getTime()));
    expect(Date.parse(asked[0]!.dataStartTime)).toBe(from);
    // The halves cover the FATAL window exactly, without a gap or an overlap.
    const sorted = [...mine].sort((a, b) => a.windowStart!.getTime() - b.windowStart!.getTime());
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.windowStart!.getTime()).toBe(sorted[i - 1]!.windowEnd!.getTime());
    const world = stack.sandbox.world(seller.sellingPartnerId);
    const produce = ROW_PRODUCERS[FATAL_SPLIT] as (ctx: unknown) => Iterable<unknown>;
    let expected = 0;
    for (const row of produce({ w: world, fromMs: from, toMs: to, options: {} })) if (row) expected++;
    expect(await db.ledgerDetail.count({ where: { sellerConnectionId: seller.sellerConnectionId } })).toBe(expected);
  });

  it("asks for the FATAL snapshot again after the cooldown, and pulls it", () => {
    const [task] = tasks.filter((t) => t.source === sourceOf(FATAL_RETRY));
    expect(task).toMatchObject({ status: "done" });
    const asked = reports.filter((r) => r.reportType === FATAL_RETRY).sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
    expect(asked.map((r) => r.processingStatus)).toEqual(["FATAL", "DONE"]);
    const cooldown = (plan.planEntry(sourceOf(FATAL_RETRY)) as { fatalCooldownMinutes: number }).fatalCooldownMinutes * 60_000;
    expect(Date.parse(asked[1]!.createdTime) - Date.parse(asked[0]!.createdTime)).toBeGreaterThanOrEqual(cooldown);
  });

  it("never asks Amazon twice for a window whose report already existed (a FATAL one may be asked again)", () => {
    const accepted = stack.sandbox.calls().filter((c) => c.operation === "createReport" && c.status === 202);
    expect(accepted.length).toBe(reports.length);
    // No report ended FATAL but the two the sandbox was told to fail (none for asking within a cooldown).
    expect(reports.filter((r) => r.processingStatus === "FATAL").map((r) => r.reportType).sort()).toEqual([FATAL_SPLIT, FATAL_RETRY].sort());
    const byWindow = new Map<string, typeof reports>();
    for (const r of reports) {
      const key = `${r.reportType} ${r.dataStartTime}..${r.dataEndTime}`;
      byWindow.set(key, [...(byWindow.get(key) ?? []), r]);
    }
    // Asked again only after a FATAL answer: every report of a window but its last one ended FATAL.
    const repeated = [...byWindow].filter(([, list]) =>
      [...list].sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime)).slice(0, -1).some((r) => r.processingStatus !== "FATAL"),
    );
    expect(repeated.map(([key, list]) => `${key}: ${list.map((r) => r.processingStatus).join(",")}`)).toEqual([]);
    // The refused type was never accepted; Amazon was asked (twice: once more after a token refresh), then left alone.
    expect(reports.filter((r) => r.reportType === REFUSED)).toEqual([]);
    expect(stack.sandbox.calls().filter((c) => c.operation === "createReport" && c.status === 403).length).toBeLessThanOrEqual(2);
  });
});
