// Incremental detection rechecks only what rows synced since `since` can change: a payment synced
// after the last run resolves its finding, an older row nobody re-synced is not looked at (a full run
// still finds it), untouched set-asides stay, and a set-aside that was too early is looked at again once
// its day comes even with no new rows. The detect-discrepancies function over the same database: a
// step per rule, counts only, SyncRun.claimsDetected written.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { planDetection } from "@/lib/detection/plan";
import { runDetection } from "@/lib/detection/run-detection";
import { supportedRules } from "@/lib/detection/rules";
import { detectDiscrepancies } from "@/inngest/functions/detect-discrepancies";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf, SYNCED_AT } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");

describe("incremental detection", () => {
  it("rechecks only the keys new rows touched, plus set-asides whose day has come", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.detail(
      { date: "2026-10-01", fnsku: "XA", asin: "BA", msku: "SKU-A", reason: "M", quantity: -1, referenceId: "ADJ-A" },
      { date: "2026-10-01", fnsku: "XB", asin: "BB", msku: "SKU-B", reason: "M", quantity: -1, referenceId: "ADJ-B" },
      { date: "2026-10-01", fnsku: "XC", asin: "BC", msku: "SKU-C", reason: "M", quantity: -1, referenceId: "ADJ-C" },
      // Too early on NOW (recheck on 2026-11-06), untouched by any new row.
      { date: "2026-10-23", fnsku: "XD", asin: "BD", msku: "SKU-D", reason: "M", quantity: -1, referenceId: "ADJ-D" },
    );
    await l.reimbursement({ reimbursementId: "OLD", approvalDate: "2025-01-01", reason: "Lost_Warehouse", fnsku: "XZ", sku: "SKU-Z", amountPerUnit: 900 });
    await l.detail({ date: "2026-10-01", fnsku: "XE", asin: "BE", msku: "SKU-E", reason: "M", quantity: -1, referenceId: "ADJ-E" });
    await l.reimbursement({ reimbursementId: "E-1", approvalDate: "2026-10-03", reason: "Lost_Warehouse", fnsku: "XE", sku: "SKU-E", amountPerUnit: 900 });
    const full = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
    expect(full.byRule.R01).toMatchObject({ ran: true, candidates: 5, found: 3 });
    expect((await setAsidesOf(seller, "R01")).map((a) => [a.fnsku, a.reasonCode])).toEqual([
      ["XD", "too-early"],
      ["XE", "reimbursed"],
    ]);

    // New since the run: a payment for XA. Also a payment for XB stored with an old syncedAt: no new row
    // says so, so an incremental run does not look at XB.
    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.reimbursement({ reimbursementId: "A-1", approvalDate: "2026-11-05", reason: "Lost_Warehouse", fnsku: "XA", sku: "SKU-A", amountPerUnit: 900, syncedAt: new Date("2026-11-05T14:00:00.000Z") });
    await l.reimbursement({ reimbursementId: "B-1", approvalDate: "2026-11-05", reason: "Lost_Warehouse", fnsku: "XB", sku: "SKU-B", amountPerUnit: 900, syncedAt: SYNCED_AT });
    const incremental = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R01"] });
    // XA (touched) and XD (due for its recheck) only.
    expect(incremental.byRule.R01).toMatchObject({ ran: true, candidates: 2, found: 1, resolved: 1 });
    const after = await detectionsOf(seller, "R01");
    expect(after.map((d) => [d.fnsku, d.status, d.resolvedByReimbursementId])).toEqual([
      ["XA", "resolved", "A-1"],
      ["XB", "pending", null],
      ["XC", "pending", null],
      ["XD", "pending", null],
    ]);
    // Untouched set-asides stay; XD's too-early one was replaced by its finding.
    expect((await setAsidesOf(seller, "R01")).map((a) => [a.fnsku, a.reasonCode])).toEqual([
      ["XA", "reimbursed"],
      ["XE", "reimbursed"],
    ]);
    // XC and XB were not rechecked: lastSeenRunAt stays at the full run.
    expect(after.find((d) => d.fnsku === "XC")!.lastSeenRunAt.toISOString()).toBe(NOW.toISOString());

    // A full run looks at everything: XB's payment is found.
    const again = await runDetection({ sellerConnectionId: seller, now: LATER, ruleIds: ["R01"] });
    expect(again.byRule.R01).toMatchObject({ candidates: 5, resolved: 1 });
    expect((await detectionsOf(seller, "R01")).find((d) => d.fnsku === "XB")).toMatchObject({ status: "resolved", resolvedByReimbursementId: "B-1" });
  });
});

describe("planning an incremental run", () => {
  it("computes the touched keys once for every rule step, and plans a full run when they are too many", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    // The incremental sync started now (its rows are synced from now on, Amazon's clock unscaled here).
    const run = await db.syncRun.create({ data: { sellerConnectionId: seller, kind: "incremental", status: "completed", trigger: "cron", startedAt: new Date() } });
    const synced = new Date();
    await l.detail(
      { date: "2026-10-01", fnsku: "XA", asin: "BA", msku: "SKU-A", reason: "M", quantity: -1, referenceId: "ADJ-A", syncedAt: synced },
      { date: "2026-10-01", fnsku: "XB", asin: "BB", msku: "SKU-B", reason: "M", quantity: -1, referenceId: "ADJ-B", syncedAt: synced },
    );
    // Synced long before the run: not touched by it.
    await l.detail({ date: "2026-10-01", fnsku: "XC", asin: "BC", msku: "SKU-C", reason: "M", quantity: -1, referenceId: "ADJ-C" });
    await l.reimbursement({ reimbursementId: "OLD", approvalDate: "2025-01-01", reason: "Lost_Warehouse", fnsku: "XZ", sku: "SKU-Z", amountPerUnit: 900 });

    const plan = await planDetection({ sellerConnectionId: seller, syncRunId: run.id, maxScopeKeys: 100 });
    expect(plan).toMatchObject({ mode: "incremental", syncRunId: run.id });
    if ("skipped" in plan) throw new Error("planned nothing");
    expect(plan.scope).toMatchObject({ fnskus: ["XA", "XB"], skus: ["SKU-A", "SKU-B"] });
    expect(plan.since).not.toBeNull();

    // A rule step works from the plan's keys, not from `since` again: given XA only, it looks at XA only.
    const step = await runDetection({ sellerConnectionId: seller, now: NOW, mode: "incremental", since: new Date(plan.since!), scope: { ...plan.scope!, fnskus: ["XA"], skus: ["SKU-A"] }, ruleIds: ["R01"] });
    expect(step.byRule.R01).toMatchObject({ ran: true, candidates: 1 });
    expect((await detectionsOf(seller, "R01")).map((d) => d.fnsku)).toEqual(["XA"]);

    // More touched keys than the bound: a full run, which reads everything once.
    const wide = await planDetection({ sellerConnectionId: seller, syncRunId: run.id, maxScopeKeys: 3 });
    expect(wide).toMatchObject({ mode: "full", since: null, scope: null });
  });
});

describe("detect-discrepancies", () => {
  it("plans, runs one step per rule and writes the open findings to the sync run it follows", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.detail({ date: "2020-01-10", fnsku: "XF", asin: "BF", msku: "SKU-F", reason: "M", quantity: -2, referenceId: "ADJ-F" });
    await l.reimbursement({ reimbursementId: "Z-1", approvalDate: "2019-01-01", reason: "Lost_Warehouse", fnsku: "XZ", sku: "SKU-Z", amountPerUnit: 900 });
    const run = await db.syncRun.create({ data: { sellerConnectionId: seller, kind: "historical", status: "completed", trigger: "connect" } });
    const t = new InngestTestEngine({
      function: detectDiscrepancies,
      events: [{ id: `detection-requested:${run.id}`, name: "detection/requested", data: { sellerConnectionId: seller, syncRunId: run.id } }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ sellerConnectionId: seller, mode: "full", syncRunId: run.id, found: 1 });
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((c) => c[0]);
    expect(stepIds).toEqual(["plan-detection", ...supportedRules().map((r) => `detect:${r.id}`), "record-detection"]);
    const byRule = (result as { byRule: Record<string, { ran: boolean; skipped?: string }> }).byRule;
    expect(byRule.R01).toMatchObject({ ran: true, found: 1 });
    expect(byRule.R03).toMatchObject({ ran: false, skipped: "No inbound-shipments data synced yet" });
    // The finding from 2020 is long expired: not an open finding.
    expect((result as { openFindings: number }).openFindings).toBe(0);
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).claimsDetected).toBe(0);

    // A loss 20 days before Amazon's now (the function reads the clock itself) is open: claimsDetected counts it.
    const recent = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await l.unitCost("SKU-G", 1000);
    await l.detail({ date: recent, fnsku: "XG", asin: "BG", msku: "SKU-G", reason: "M", quantity: -1, referenceId: "ADJ-G" });
    const again = await new InngestTestEngine({
      function: detectDiscrepancies,
      events: [{ id: `detection-requested:${run.id}:2`, name: "detection/requested", data: { sellerConnectionId: seller, syncRunId: run.id, mode: "full" } }],
    }).execute();
    expect(again.result).toMatchObject({ found: 1, updated: 1, openFindings: 1 });
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).claimsDetected).toBe(1);
    expect(await db.detection.count({ where: { sellerConnectionId: seller } })).toBe(2);
  });

  it("skips a seller connection that is gone", async () => {
    const { result } = await new InngestTestEngine({
      function: detectDiscrepancies,
      events: [{ id: "detection-requested:gone", name: "detection/requested", data: { sellerConnectionId: "no-such-connection" } }],
    }).execute();
    expect(result).toEqual({ skipped: "The seller connection no longer exists" });
  });
});
