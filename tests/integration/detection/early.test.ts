// Early detection during a historical sync (lib/detection/early.ts): with Amazon's financial events
// slowed down, the rules whose sources are all in (ledger, reimbursements, returns, removals) have
// findings stored while financial events are still downloading, no rule that needs financial events
// runs before they are in, each rule runs early at most once per sync, and the final full pass still
// runs at the end and writes the sync's count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { startSyncStack, type ConnectedSeller, type SyncStack } from "../../support/sync-stack";

const HISTORY_DAYS = 120;
/** Each financial-events page takes this long: that source finishes well after the reports. */
const SLOW_FINANCES = { latencyMs: { listFinancialEvents: 1500 } };

let database: OwnDatabase;
let stack: SyncStack;
let db: typeof import("../../../lib/db").db;
let rules: typeof import("../../../lib/detection/rules");
let seller: ConnectedSeller;
let syncRunId: string;
/** Detections stored while financial events still had windows to pull, and the run still ran. */
let earlyRuleIds: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface DetectionRunRow {
  status: string;
  event: { id?: string; data: { syncRunId?: string; ruleIds?: string[]; mode?: string } };
}

beforeAll(async () => {
  database = await useOwnDatabase();
  stack = await startSyncStack({ sandbox: { seed: 23, startTime: WORLD_END, sellers: 1 }, env: { SYNC_HISTORY_DAYS: String(HISTORY_DAYS) } });
  ({ db } = await import("../../../lib/db"));
  rules = await import("../../../lib/detection/rules");
  const client = await import("../../../inngest/client");
  seller = await stack.connectSeller(0);
  stack.sandbox.setFaults(SLOW_FINANCES);
  await client.inngest.send(client.syncRequested.create({ sellerConnectionId: seller.sellerConnectionId, kind: "historical" }, { id: `test-early:${seller.sellerConnectionId}` }));

  const deadline = Date.now() + 240_000;
  for (;;) {
    const run = await db.syncRun.findFirst({ where: { sellerConnectionId: seller.sellerConnectionId }, include: { tasks: { select: { source: true, status: true } } } });
    if (run) syncRunId = run.id;
    const financesOpen = run?.tasks.some((t) => t.source === "financial-events" && (t.status === "pending" || t.status === "running")) ?? false;
    if (run && run.status === "running" && financesOpen) {
      const found = await db.detection.findMany({ where: { sellerConnectionId: seller.sellerConnectionId }, select: { ruleId: true } });
      if (found.length > 0) {
        earlyRuleIds = [...new Set(found.map((d) => d.ruleId))].sort();
        break;
      }
    } else if (run && (run.status !== "running" || !financesOpen) && run.tasks.length > 0) {
      throw new Error(`no finding was stored before financial events were in (run ${run.status})`);
    }
    if (Date.now() > deadline) {
      const tasks = run?.tasks.map((t) => `${t.source}:${t.status}`).join(" ");
      const runs = (await detectionRuns()).map((r) => `${r.event.data.ruleIds?.join(",") ?? "final"}:${r.status}`).join(" ");
      const steps = await db.$queryRawUnsafe<{ name: string; status: string; data: unknown }[]>(`SELECT s.name, s.status, s.data FROM runner_step s JOIN runner_run r ON r.id = s.run_id WHERE r.function_id LIKE '%sync-seller' ORDER BY s.created_at`);
      throw new Error(`no early finding within 240 s; tasks ${tasks}; detection runs ${runs}; parent steps ${steps.map((x) => `${x.name}:${x.status}:${JSON.stringify(x.data)?.slice(0, 200)}`).join(" | ")}`);
    }
    await sleep(200);
  }
  stack.sandbox.setFaults({});
  await stack.waitForRun(syncRunId, 300_000);
  await stack.waitForRunnerIdle(120_000);
}, 600_000);

afterAll(async () => {
  await stack?.close();
  await database?.close();
});

const detectionRuns = () =>
  db.$queryRawUnsafe<DetectionRunRow[]>(`SELECT status, event FROM runner_run WHERE function_id LIKE '%detect-discrepancies' ORDER BY created_at`);

describe("early detection during a historical sync", () => {
  it("stores findings of rules that need no financial events while financial events still download", () => {
    expect(earlyRuleIds.length).toBeGreaterThan(0);
    const needFinances = rules.supportedRules().filter((r) => r.requires.includes("financial-events")).map((r) => r.id);
    for (const id of earlyRuleIds) expect(needFinances, `${id} ran before financial events were in`).not.toContain(id);
  });

  it("runs each rule early at most once, by its own deterministic event, and the final full pass after", async () => {
    const runs = (await detectionRuns()).filter((r) => r.event.data.syncRunId === syncRunId);
    const early = runs.filter((r) => r.event.data.ruleIds);
    const final = runs.filter((r) => !r.event.data.ruleIds);
    expect(early.length).toBeGreaterThan(0);
    const earlyRules = early.map((r) => r.event.data.ruleIds!.join(","));
    expect(new Set(earlyRules).size, `early runs: ${earlyRules.join(" ")}`).toBe(earlyRules.length);
    for (const run of early) {
      expect(run.event.data.ruleIds).toHaveLength(1);
      expect(run.event.data.mode).toBe("full");
      expect(run.event.id).toBe(`detection-early:${syncRunId}:${run.event.data.ruleIds![0]}`);
    }
    for (const id of earlyRuleIds) expect(earlyRules).toContain(id);
    expect(final).toHaveLength(1);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
  });

  it("completes the sync with the final pass's count of open findings", async () => {
    const { countOpenFindings } = await import("../../../lib/detection/run-detection");
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId } });
    expect(run.status).toBe("completed");
    // The final pass (one clock for all its rules) saw every finding again, the early ones included.
    const detections = await db.detection.findMany({ where: { sellerConnectionId: seller.sellerConnectionId }, select: { ruleId: true, lastSeenRunAt: true } });
    const last = Math.max(...detections.map((d) => d.lastSeenRunAt.getTime()));
    for (const d of detections) expect(d.lastSeenRunAt.getTime(), d.ruleId).toBe(last);
    expect(new Set(detections.map((d) => d.ruleId)).size).toBeGreaterThan(earlyRuleIds.length - 1);
    // The count is the seller's open findings on the final pass's clock (Amazon's, time-scaled here).
    expect(run.claimsDetected).toBe(await countOpenFindings(seller.sellerConnectionId, new Date(last)));
  });
});

describe("earlyDetectionReadiness", () => {
  it("counts a source in only when every window is done or empty, and readies the rules that need only such sources", async () => {
    const { earlyDetectionReadiness } = await import("../../../lib/detection/early");
    const run = await db.syncRun.create({ data: { sellerConnectionId: seller.sellerConnectionId, kind: "historical", trigger: "fallback", status: "running" } });
    const window = (month: number) => ({ windowStart: new Date(Date.UTC(2026, month, 1)), windowEnd: new Date(Date.UTC(2026, month + 1, 1)) });
    await db.syncTask.createMany({
      data: [
        { syncRunId: run.id, source: "ledger-detail", status: "done", ...window(0) },
        { syncRunId: run.id, source: "ledger-detail", status: "empty", ...window(1) },
        { syncRunId: run.id, source: "reimbursements", status: "done", ...window(0) },
        { syncRunId: run.id, source: "reimbursements", status: "running", ...window(1) },
        { syncRunId: run.id, source: "customer-returns", status: "done", ...window(0) },
        { syncRunId: run.id, source: "removal-orders", status: "failed", ...window(0) },
      ],
    });
    let readiness = await earlyDetectionReadiness(run.id);
    expect(readiness.completeSources).toEqual(["customer-returns", "ledger-detail"]);
    expect(readiness.readyRuleIds).toEqual([]);

    await db.syncTask.updateMany({ where: { syncRunId: run.id, source: "reimbursements" }, data: { status: "done" } });
    readiness = await earlyDetectionReadiness(run.id);
    expect(readiness.completeSources).toEqual(["customer-returns", "ledger-detail", "reimbursements"]);
    // R15 needs removal orders, whose window failed: it waits for the final pass.
    expect(readiness.readyRuleIds).toEqual(["R01", "R02", "R05", "R06", "R08", "R16", "R17"]);

    // Only a running historical sync runs rules early: an incremental one waits for its one pass.
    await db.syncRun.update({ where: { id: run.id }, data: { kind: "incremental" } });
    expect(await earlyDetectionReadiness(run.id)).toEqual({ completeSources: [], readyRuleIds: [] });
    await db.syncRun.update({ where: { id: run.id }, data: { kind: "historical", status: "cancelled" } });
    expect(await earlyDetectionReadiness(run.id)).toEqual({ completeSources: [], readyRuleIds: [] });
  });
});
