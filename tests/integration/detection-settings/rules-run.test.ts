// Reconciliation rules on real detection runs (R01 over a small ledger, pinned clock), set through the
// API as a seller would: a switched-off rule is skipped and says why; a severity override; findings
// under a threshold, a unit minimum or a confidence minimum left out as below-threshold set-asides, or,
// with autoResolve, stored resolved by "rule" with the note kept and shown; a seller's status never
// changed by a rule; a raised threshold withdrawing an untouched finding, a lowered one or a deleted
// rule offering it again; the rule's own row before the "*" row; SKU conditions; an incremental run
// after a rule change looking at every finding.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { runDetection } from "@/lib/detection/run-detection";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "../detection/ledger";
import { call, ownerOf } from "./support";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const rulesRoute = await import("@/app/api/v1/reconciliation/rules/route");
const ruleRoute = await import("@/app/api/v1/reconciliation/rules/[id]/route");
const resultsRoute = await import("@/app/api/detections/results/route");

const NOW = new Date("2026-11-05T12:00:00.000Z");
const PATH = "/api/v1/reconciliation/rules";

afterEach(() => {
  session.userId = null;
  vi.useRealTimers();
});

/** Three unpaid losses of 2026-10-01: SKU-A 3 units at 8.00 (24.00), SKU-B 1 at 5.00, SKU-C 2 at 20.00 (40.00). */
async function ledger(): Promise<string> {
  const seller = await newSeller();
  const l = ledgerFor(seller);
  await l.unitCost("SKU-A", 800);
  await l.unitCost("SKU-B", 500);
  await l.unitCost("SKU-C", 2000);
  await l.detail(
    { date: "2026-10-01", fnsku: "X0A", asin: "B0A", msku: "SKU-A", reason: "M", quantity: -3, referenceId: "ADJ-A" },
    { date: "2026-10-01", fnsku: "X0B", asin: "B0B", msku: "SKU-B", reason: "M", quantity: -1, referenceId: "ADJ-B" },
    { date: "2026-10-01", fnsku: "X0C", asin: "B0C", msku: "SKU-C", reason: "M", quantity: -2, referenceId: "ADJ-C" },
  );
  // A payout of another FNSKU: the reimbursements source is in.
  await l.reimbursement({ reimbursementId: "OLD", approvalDate: "2025-01-01", reason: "Lost_Warehouse", fnsku: "XZ", sku: "SKU-Z", amountPerUnit: 900 });
  session.userId = await ownerOf(seller);
  return seller;
}

async function rule(body: Record<string, unknown>): Promise<string> {
  const answer = await call(rulesRoute.POST, PATH, { method: "POST", body });
  expect(answer.status).toBe(201);
  return answer.body.rule.id;
}
const change = async (id: string, body: Record<string, unknown>) => expect((await call(ruleRoute.PATCH, `${PATH}/${id}`, { method: "PATCH", body, params: { id } })).status).toBe(200);
const drop = async (id: string) => expect((await call(ruleRoute.DELETE, `${PATH}/${id}`, { method: "DELETE", params: { id } })).status).toBe(204);

const run = (seller: string) => runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
const findings = async (seller: string) => (await detectionsOf(seller, "R01")).map((d) => [d.sku, d.status, d.statusSetBy, d.statusNote]);
const asides = async (seller: string) => (await setAsidesOf(seller, "R01")).map((a) => [a.sku, a.reasonCode]);

describe("reconciliation rules on a detection run", () => {
  let seller: string;
  beforeEach(async () => {
    seller = await ledger();
  });

  it("finds all three without rules (the baseline the other cases change)", async () => {
    const result = await run(seller);
    expect(result.byRule.R01).toMatchObject({ ran: true, found: 3, closedByRule: 0 });
    expect(await findings(seller)).toEqual([
      ["SKU-A", "pending", "system", null],
      ["SKU-B", "pending", "system", null],
      ["SKU-C", "pending", "system", null],
    ]);
    expect((await detectionsOf(seller, "R01")).map((d) => d.severity)).toEqual(["low", "low", "medium"]);
  });

  it("skips a rule the seller switched off, saying so; the '*' row switches every rule off unless a rule's own row keeps it on", async () => {
    const own = await rule({ ruleType: "R01", enabled: false });
    expect((await run(seller)).byRule.R01).toEqual({ ran: false, skipped: "You switched R01 off in your reconciliation rules" });
    expect(await detectionsOf(seller, "R01")).toEqual([]);
    await drop(own);
    await rule({ ruleType: "*", enabled: false });
    const all = await runDetection({ sellerConnectionId: seller, now: NOW });
    expect(all.byRule.R01).toEqual({ ran: false, skipped: "You switched every detection rule off in your reconciliation rules" });
    expect(all.byRule.R02).toEqual({ ran: false, skipped: "You switched every detection rule off in your reconciliation rules" });
    await rule({ ruleType: "R01", enabled: true });
    expect((await run(seller)).byRule.R01).toMatchObject({ ran: true, found: 3 });
  });

  it("replaces the computed severity with the seller's", async () => {
    await rule({ ruleType: "R01", severity: "high" });
    await run(seller);
    expect((await detectionsOf(seller, "R01")).map((d) => d.severity)).toEqual(["high", "high", "high"]);
  });

  it("leaves findings under the threshold out as below-threshold set-asides a seller can read; raising it withdraws untouched findings, never a seller's", async () => {
    const id = await rule({ ruleType: "R01", threshold: 10 });
    const first = await run(seller);
    expect(first.byRule.R01).toMatchObject({ ran: true, found: 2, setAside: 1 });
    expect((await findings(seller)).map((f) => f[0])).toEqual(["SKU-A", "SKU-C"]);
    const [b] = await setAsidesOf(seller, "R01");
    expect(b).toMatchObject({ sku: "SKU-B", fnsku: "X0B", reasonCode: "below-threshold", units: 1, referenceId: "ADJ-B" });
    expect(b!.reason).toBe("Worth 5.00 USD: below your threshold of 10.00 USD (rule R01), so it is not offered for filing");

    // The seller files SKU-A; then raises the threshold to 30, over SKU-A's 24.00.
    const a = (await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-A")!;
    await db.detection.update({ where: { id: a.id }, data: { status: "filed", statusSetBy: "seller", statusNote: "case 77" } });
    await change(id, { threshold: 30 });
    const second = await run(seller);
    expect(second.byRule.R01).toMatchObject({ withdrawn: 0 });
    // SKU-A is the seller's: kept, updated, not set aside. SKU-B still under. SKU-C (40.00) stays.
    expect(await findings(seller)).toEqual([
      ["SKU-A", "filed", "seller", "case 77"],
      ["SKU-C", "pending", "system", null],
    ]);
    expect(await asides(seller)).toEqual([["SKU-B", "below-threshold"]]);

    await change(id, { threshold: 45 });
    const third = await run(seller);
    expect(third.byRule.R01).toMatchObject({ withdrawn: 1 });
    expect(await findings(seller)).toEqual([["SKU-A", "filed", "seller", "case 77"]]);
    expect(await asides(seller)).toEqual([
      ["SKU-B", "below-threshold"],
      ["SKU-C", "below-threshold"],
    ]);

    // Lowered: offered again, as new findings; the set-asides go.
    await change(id, { threshold: 0 });
    expect((await run(seller)).byRule.R01).toMatchObject({ found: 2 });
    expect((await findings(seller)).map((f) => [f[0], f[1]])).toEqual([
      ["SKU-A", "filed"],
      ["SKU-B", "pending"],
      ["SKU-C", "pending"],
    ]);
    expect(await asides(seller)).toEqual([]);
  });

  it("with autoResolve stores them resolved by the rule with the note kept and shown; re-judged every run; a seller's status stays", async () => {
    const id = await rule({ ruleType: "R01", threshold: "10.00", autoResolve: true });
    const first = await run(seller);
    expect(first.byRule.R01).toMatchObject({ ran: true, found: 3, closedByRule: 1, setAside: 0 });
    expect(await findings(seller)).toEqual([
      ["SKU-A", "pending", "system", null],
      ["SKU-B", "resolved", "rule", "Below your threshold of 10.00 USD (rule R01)"],
      ["SKU-C", "pending", "system", null],
    ]);
    const stored = (await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-B")!;
    expect(stored.resolvedAt!.toISOString()).toBe(NOW.toISOString());
    expect(stored.estimatedValueMinor).toBe(500n);
    // What the results API (GET /api/detections/results) shows: resolved, with the rule's note.
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const results = await call(resultsRoute.GET, "/api/detections/results?ruleId=R01&status=resolved");
    vi.useRealTimers();
    expect(results.status).toBe(200);
    expect(results.body.items.map((d: Record<string, unknown>) => [d.sku, d.status, d.storedStatus, d.statusNote, d.estimatedValue])).toEqual([
      ["SKU-B", "resolved", "resolved", "Below your threshold of 10.00 USD (rule R01)", 5],
    ]);

    // The seller reviewed SKU-A; the threshold rises over it and SKU-C's 40.00 stays over.
    const a = (await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-A")!;
    await db.detection.update({ where: { id: a.id }, data: { status: "reviewed", statusSetBy: "seller" } });
    await change(id, { threshold: 30 });
    await run(seller);
    expect(await findings(seller)).toEqual([
      ["SKU-A", "reviewed", "seller", null],
      ["SKU-B", "resolved", "rule", "Below your threshold of 30.00 USD (rule R01)"],
      ["SKU-C", "pending", "system", null],
    ]);
    // The close keeps its first day.
    expect((await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-B")!.resolvedAt!.toISOString()).toBe(NOW.toISOString());

    // Switching autoResolve off: the rule's closed finding is withdrawn to a set-aside.
    await change(id, { autoResolve: false });
    expect((await run(seller)).byRule.R01).toMatchObject({ withdrawn: 1 });
    expect((await findings(seller)).map((f) => f[0])).toEqual(["SKU-A", "SKU-C"]);
    expect(await asides(seller)).toEqual([["SKU-B", "below-threshold"]]);

    // Back on, then the rule deleted: the rule's close is undone, the finding offered as pending again.
    await change(id, { autoResolve: true });
    await run(seller);
    expect((await findings(seller)).find((f) => f[0] === "SKU-B")).toEqual(["SKU-B", "resolved", "rule", "Below your threshold of 30.00 USD (rule R01)"]);
    await drop(id);
    await run(seller);
    const reopened = (await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-B")!;
    expect(reopened).toMatchObject({ status: "pending", statusSetBy: "system", statusNote: null, resolvedAt: null });
  });

  it("lets a later payout close a finding the rule had closed: resolved by the reimbursement, the rule's note gone", async () => {
    await rule({ ruleType: "R01", threshold: 10, autoResolve: true });
    await run(seller);
    expect((await findings(seller)).find((f) => f[0] === "SKU-B")![2]).toBe("rule");
    await ledgerFor(seller).reimbursement({ reimbursementId: "PAY-B", approvalDate: "2026-10-20", reason: "Lost_Warehouse", fnsku: "X0B", sku: "SKU-B", amountPerUnit: 500 });
    expect((await run(seller)).byRule.R01).toMatchObject({ resolved: 1 });
    expect((await detectionsOf(seller, "R01")).find((d) => d.sku === "SKU-B")).toMatchObject({ status: "resolved", statusSetBy: "system", statusNote: null, resolvedByReimbursementId: "PAY-B" });
  });

  it("applies minUnits and minConfidence; a rule's own row before the '*' row; SKU conditions narrow a row", async () => {
    await rule({ ruleType: "*", minUnits: 2, autoResolve: true });
    await run(seller);
    expect((await findings(seller)).find((f) => f[0] === "SKU-B")).toEqual(["SKU-B", "resolved", "rule", "Below your minimum of 2 units (rule * for every detection rule)"]);

    // R01's own row (a severity, no minimum) applies instead of "*": no minimum, SKU-B is offered again.
    const own = await rule({ ruleType: "R01", severity: "high", autoResolve: true });
    await run(seller);
    expect(await findings(seller)).toEqual([
      ["SKU-A", "pending", "system", null],
      ["SKU-B", "pending", "system", null],
      ["SKU-C", "pending", "system", null],
    ]);

    // Narrowed to SKU-C with a confidence minimum above R01's 0.85: only SKU-C is judged by it; the
    // others fall back to "*" (SKU-B under 2 units again).
    await change(own, { conditions: { skus: ["SKU-C"], minConfidence: 0.9 } });
    await run(seller);
    expect(await findings(seller)).toEqual([
      ["SKU-A", "pending", "system", null],
      ["SKU-B", "resolved", "rule", "Below your minimum of 2 units (rule * for every detection rule)"],
      ["SKU-C", "resolved", "rule", "Below your minimum confidence of 0.90 (rule R01)"],
    ]);
    // The narrowed row's severity reaches SKU-C only.
    expect((await detectionsOf(seller, "R01")).map((d) => d.severity)).toEqual(["low", "low", "high"]);
  });

  it("makes an incremental run after a rule change a full one, so the change reaches findings no new row touched", async () => {
    await run(seller);
    await db.syncRun.create({ data: { sellerConnectionId: seller, kind: "incremental", status: "completed", trigger: "cron", startedAt: new Date(Date.now() - 60_000), completedAt: new Date() } });
    // Nothing synced since (the unit costs were written before it, on the app's clock like `since` here).
    const since = new Date();
    const quiet = await runDetection({ sellerConnectionId: seller, now: NOW, mode: "incremental", since, ruleIds: ["R01"] });
    expect(quiet).toMatchObject({ mode: "incremental" });
    expect(quiet.byRule.R01).toMatchObject({ candidates: 0 });
    await rule({ ruleType: "R01", threshold: 10, autoResolve: true });
    const after = await runDetection({ sellerConnectionId: seller, now: NOW, mode: "incremental", since, ruleIds: ["R01"] });
    expect(after).toMatchObject({ mode: "full", scopeKeys: null });
    expect(after.byRule.R01).toMatchObject({ candidates: 3, closedByRule: 1 });
    expect((await findings(seller)).find((f) => f[0] === "SKU-B")![1]).toBe("resolved");
  });
});
