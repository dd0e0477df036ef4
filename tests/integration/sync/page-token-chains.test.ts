// Page-token chains read from the SP-API sandbox (lib/sync/engine/api-task.ts) when Amazon refuses a
// good token, as it sometimes does (sp-api.md: intermittent InvalidInput on NextToken that passes on
// retry; the sandbox's refusePageTokens fault):
// - FBA inventory summaries of a catalogue that spans several pages (inventorySummariesUnit): a refused
//   token is sent once more, a token refused twice starts the chain again from its first page, a
//   bounded number of times, and the snapshot ends with every SKU once. Before, one refused token
//   failed the source for the whole sync.
// - Financial events (financialEventsUnit): a refused NextToken is sent once more and the chain goes on
//   from it; before, every refusal read the window again from its first page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DAY_MS } from "../../../sandbox/generator/world";
import { startSandbox, type Sandbox } from "../../../sandbox/server";
import { connectSandboxSeller, sandboxAppEnv } from "../../support/sandbox-app-env";

/** The sandbox's `wide` seller: 120 SKUs, three pages of 50. */
const SKUS = 120;
const PAGES = 3;

let sandbox: Sandbox;
let db: typeof import("../../../lib/db").db;
let inventorySummariesUnit: typeof import("../../../lib/sync/engine/api-task").inventorySummariesUnit;
let amazonConnectorFor: typeof import("../../../lib/sync/amazon-connector").amazonConnectorFor;
let unitContext: typeof import("../../../lib/sync/engine/sync-settings").unitContext;
let financialEventsUnit: typeof import("../../../lib/sync/engine/api-task").financialEventsUnit;
let sellerConnectionId: string;

beforeAll(async () => {
  // The real clock's pace (time scale 1): a token outlives any page here, so only the injected refusals stale it.
  sandbox = await startSandbox({ port: 0, sellers: 1, size: "wide", timeScale: 1 });
  Object.assign(process.env, sandboxAppEnv(sandbox));
  ({ db } = await import("../../../lib/db"));
  ({ inventorySummariesUnit, financialEventsUnit } = await import("../../../lib/sync/engine/api-task"));
  ({ amazonConnectorFor } = await import("../../../lib/sync/amazon-connector"));
  ({ unitContext } = await import("../../../lib/sync/engine/sync-settings"));
  ({ sellerConnectionId } = await connectSandboxSeller(sandbox, 0, "inventory-chain"));
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  sandbox.setFaults({});
});

/** A fresh inventory-summaries task of its own run, and the sandbox calls it made. */
async function pullSummaries() {
  const run = await db.syncRun.create({ data: { sellerConnectionId, kind: "historical", trigger: "test", status: "running", startedAt: new Date() } });
  const day = new Date(Date.UTC(2026, 5, 15));
  const task = await db.syncTask.create({ data: { syncRunId: run.id, source: "inventory-summaries", status: "pending", windowStart: day, windowEnd: day } });
  const before = sandbox.calls().length;
  const result = await inventorySummariesUnit(unitContext(await amazonConnectorFor(sellerConnectionId)), task.id);
  const calls = sandbox.calls().slice(before).filter((c) => c.operation === "getInventorySummaries");
  const stored = await db.syncTask.findUniqueOrThrow({ where: { id: task.id } });
  const summaries = await db.inventorySummary.findMany({ where: { sellerConnectionId, snapshotDate: day }, select: { sellerSku: true } });
  return { result, task: stored, statuses: calls.map((c) => c.status), skus: summaries.map((s) => s.sellerSku) };
}

describe("inventory summaries over several pages", () => {
  it("reads every page of the catalogue in one step", async () => {
    const { result, task, statuses, skus } = await pullSummaries();
    expect(result).toMatchObject({ next: "done", status: "done", rows: SKUS });
    expect(task).toMatchObject({ status: "done", rows: SKUS, error: null });
    expect(statuses).toEqual(Array(PAGES).fill(200));
    expect(new Set(skus).size).toBe(SKUS);
  });

  it("sends a refused token once more and goes on from it", async () => {
    sandbox.setFaults({ refusePageTokens: { getInventorySummaries: 1 } });
    const { result, statuses, skus } = await pullSummaries();
    expect(result).toMatchObject({ status: "done", rows: SKUS });
    // Page 1, page 2 refused, page 2 again, page 3.
    expect(statuses).toEqual([200, 400, 200, 200]);
    expect(skus).toHaveLength(SKUS);
  });

  it("starts the chain again from its first page when the token is refused twice, and stores each SKU once", async () => {
    sandbox.setFaults({ refusePageTokens: { getInventorySummaries: 2 } });
    const { result, task, statuses, skus } = await pullSummaries();
    expect(result).toMatchObject({ status: "done", rows: SKUS });
    expect(task.rows).toBe(SKUS);
    expect(statuses).toEqual([200, 400, 400, 200, 200, 200]);
    expect(skus).toHaveLength(SKUS);
    expect(new Set(skus).size).toBe(SKUS);
  });

  it("gives up after a bounded number of restarts and fails the source with Amazon's reason", async () => {
    sandbox.setFaults({ refusePageTokens: { getInventorySummaries: 1_000 } });
    const { result, task, statuses } = await pullSummaries();
    expect(result).toMatchObject({ next: "done", status: "failed", error: "Amazon answered 400 InvalidInput: Invalid nextToken." });
    expect(task).toMatchObject({ status: "failed", error: "Amazon answered 400 InvalidInput: Invalid nextToken." });
    // The first pass and three restarts: page 1, then page 2 refused twice, each time.
    expect(statuses).toEqual(Array(4).fill([200, 400, 400]).flat());
  });
});

/** A financial-events task over 60 days of the seller's world, run unit after unit as the sync function does. */
async function pullFinancialEvents() {
  const run = await db.syncRun.create({ data: { sellerConnectionId, kind: "historical", trigger: "test", status: "running", startedAt: new Date() } });
  const end = sandbox.clock.nowMs() - DAY_MS;
  const task = await db.syncTask.create({
    data: { syncRunId: run.id, source: "financial-events", status: "pending", windowStart: new Date(end - 60 * DAY_MS), windowEnd: new Date(end) },
  });
  const before = sandbox.calls().length;
  const ctx = unitContext(await amazonConnectorFor(sellerConnectionId));
  let result = await financialEventsUnit(ctx, task.id, undefined, 1);
  for (let units = 1; result.next === "continue" || result.next === "wait"; units++) {
    if (units > 50) throw new Error("the chain did not end");
    if (result.next === "wait") await new Promise((r) => setTimeout(r, (result as { ms: number }).ms));
    result = await financialEventsUnit(ctx, task.id, result.token, result.offset ?? 1);
  }
  const calls = sandbox.calls().slice(before).filter((c) => c.operation === "listFinancialEvents");
  const stored = await db.syncTask.findUniqueOrThrow({ where: { id: task.id } });
  return { result, task: stored, statuses: calls.map((c) => c.status) };
}

describe("financial events over several pages", () => {
  it("sends a refused NextToken once more and goes on from it, without reading the window again", async () => {
    const clean = await pullFinancialEvents();
    expect(clean.result).toMatchObject({ next: "done", status: "done" });
    const pages = clean.statuses.length;
    expect(pages).toBeGreaterThan(2);
    expect(clean.statuses).toEqual(Array(pages).fill(200));

    sandbox.setFaults({ refusePageTokens: { listFinancialEvents: 1 } });
    const refused = await pullFinancialEvents();
    expect(refused.result).toMatchObject({ next: "done", status: "done", rows: clean.task.rows });
    // Page 1, page 2 refused, page 2 again, the rest: one call more than the clean chain.
    expect(refused.statuses).toEqual([200, 400, ...Array(pages - 1).fill(200)]);
    expect(refused.task.rows).toBe(clean.task.rows);
  });
});
