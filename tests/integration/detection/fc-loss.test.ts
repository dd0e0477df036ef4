// R01 fc-lost-unreimbursed and R02 fc-damaged-unreimbursed over small ledgers with a pinned clock:
// the true cases with their value, basis, confidence reasons, evidence and window; the look-alikes
// that must not fire (found on the same or a sibling FNSKU, already reimbursed, one reimbursement for
// two losses, too young, reconciled by Amazon, a damage corrected back to sellable); reruns; a later
// reimbursement resolving a finding; a seller's status kept; expired derived from the clock.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { detectionsFor, setAsidesForSku } from "@/lib/detection/queries";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus, daysRemaining } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");

describe("R01 fc-lost-unreimbursed", () => {
  let seller: string;

  beforeAll(async () => {
    seller = await newSeller();
    const l = ledgerFor(seller);
    await l.unitCost("SKU-A", 800, true);
    await l.detail(
      // The true case: 3 units misplaced, Amazon's own ledger says 3 unreconciled.
      { date: "2026-10-01", fnsku: "X0A", asin: "B0A", msku: "SKU-A", reason: "M", quantity: -3, referenceId: "ADJ-A", unreconciledQuantity: 3, reconciledQuantity: 0 },
      // Found on a sibling FNSKU of the same ASIN.
      { date: "2026-10-01", fnsku: "X0B", asin: "B0B", msku: "SKU-B", reason: "M", quantity: -2, referenceId: "ADJ-B" },
      { date: "2026-10-10", fnsku: "X0C", asin: "B0B", msku: "Amazon.Found.B0B", reason: "F", quantity: 2, referenceId: "F-C" },
      // Already reimbursed five days later.
      { date: "2026-10-01", fnsku: "X0D", asin: "B0D", msku: "SKU-D", reason: "M", quantity: -1, referenceId: "ADJ-D" },
      // Two losses, one reimbursement: the first is paid, the second stays open.
      { date: "2026-09-20", fnsku: "X0E", asin: "B0E", msku: "SKU-E", reason: "5", quantity: -1, referenceId: "ADJ-E1" },
      { date: "2026-09-22", fnsku: "X0E", asin: "B0E", msku: "SKU-E", reason: "M", quantity: -1, referenceId: "ADJ-E2" },
      // Too young: Amazon may still pay.
      { date: "2026-10-30", fnsku: "X0F", asin: "B0F", msku: "SKU-F", reason: "M", quantity: -1, referenceId: "ADJ-F" },
      // Old: the window closed.
      { date: "2026-06-01", fnsku: "X0G", asin: "B0G", msku: "SKU-G", reason: "M", quantity: -2, referenceId: "ADJ-G" },
      // Amazon reconciled it without a row of ours showing how.
      { date: "2026-10-01", fnsku: "X0H", asin: "B0H", msku: "SKU-H", reason: "M", quantity: -1, referenceId: "ADJ-H", unreconciledQuantity: 0, reconciledQuantity: 1 },
      // Found on the same FNSKU, and a loss paid in inventory (N row, the replacement unit) counted once.
      { date: "2026-10-01", fnsku: "X0I", asin: "B0I", msku: "SKU-I", reason: "M", quantity: -1, referenceId: "ADJ-I" },
      { date: "2026-10-04", fnsku: "X0I", asin: "B0I", msku: "SKU-I", reason: "F", quantity: 1, referenceId: "F-I" },
      { date: "2026-09-01", fnsku: "X0J", asin: "B0J", msku: "SKU-J", reason: "M", quantity: -1, referenceId: "ADJ-J1" },
      { date: "2026-09-03", fnsku: "X0J", asin: "B0J", msku: "SKU-J", reason: "M", quantity: -1, referenceId: "ADJ-J2" },
      { date: "2026-09-08", fnsku: "X0J", asin: "B0J", msku: "SKU-J", reason: "N", quantity: 1, referenceId: "N-J" },
    );
    await l.reimbursement({ reimbursementId: "1234", approvalDate: "2026-10-06", reason: "Lost_Warehouse", fnsku: "X0D", sku: "SKU-D", amountPerUnit: 1500 });
    await l.reimbursement({ reimbursementId: "2001", approvalDate: "2026-09-26", reason: "Lost_Warehouse", fnsku: "X0E", sku: "SKU-E", amountPerUnit: 1000 });
    await l.reimbursement({ reimbursementId: "3001", approvalDate: "2026-09-08", reason: "Lost_Warehouse", fnsku: "X0J", sku: "SKU-J", cash: 0, inventory: 1 });
  });

  it("finds the unpaid loss with its value, basis, confidence, evidence and window", async () => {
    const result = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
    expect(result.byRule.R01).toMatchObject({ ran: true });
    const found = await detectionsOf(seller, "R01");
    const a = found.find((d) => d.fnsku === "X0A")!;
    expect(a).toMatchObject({
      ruleSlug: "fc-lost-unreimbursed",
      fingerprint: "X0A:ADJ-A:2026-10-01",
      units: 3,
      estimatedValueMinor: 2400n,
      unitValueMinor: 800n,
      valueBasis: "seller-cost",
      currency: "USD",
      claimFamily: "fc-lost",
      marketplaceId: "ATVPDKIKX0DER",
      status: "pending",
      statusSetBy: "system",
      windowPolicyId: "default-fc-lost-2024-10-23",
    });
    expect(a.confidence).toBe(0.85);
    expect((a.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base"]);
    expect(a.opensAt.toISOString().slice(0, 10)).toBe("2026-10-01");
    expect(a.deadline!.toISOString().slice(0, 10)).toBe("2026-11-30");
    expect(derivedStatus(a.status, a.opensAt, a.deadline, NOW)).toBe("pending");
    expect(daysRemaining(a.deadline, NOW)).toBe(25);
    const evidence = a.evidence as { rows: { table: string; role: string; referenceId: string }[]; facts: Record<string, unknown>; valuation: { basis: string } };
    expect(evidence.rows[0]).toMatchObject({ table: "LedgerDetail", role: "loss", referenceId: "ADJ-A" });
    expect(evidence.facts).toMatchObject({ lost: 3, open: 3, unreconciledQuantity: 3, reimbursed: 0 });
    expect(evidence.valuation.basis).toBe("seller-cost");
    expect(a.summary).toContain("3 units of X0A lost at PHX7 on 2026-10-01");
  });

  it("sets aside what a find or a payment explains, and says why", async () => {
    const asides = await setAsidesOf(seller, "R01");
    const by = (fnsku: string) => asides.filter((a) => a.fnsku === fnsku);
    expect(by("X0B")[0]).toMatchObject({ reasonCode: "found-sibling" });
    expect(by("X0B")[0]!.reason).toContain("sibling FNSKU X0C of the same ASIN B0B");
    expect(by("X0D")[0]).toMatchObject({ reasonCode: "reimbursed", reimbursementId: "1234" });
    expect(by("X0D")[0]!.reason).toBe("Amazon reimbursed it on day 5: reimbursement 1234");
    expect(by("X0F")[0]).toMatchObject({ reasonCode: "too-early" });
    expect(by("X0F")[0]!.recheckAt!.toISOString().slice(0, 10)).toBe("2026-11-13");
    expect(by("X0H")[0]).toMatchObject({ reasonCode: "reconciled-by-amazon" });
    expect(by("X0I")[0]).toMatchObject({ reasonCode: "found" });
    // The N row is the inventory reimbursement's unit: one unit covered, not two.
    expect(by("X0J").map((a) => [a.referenceId, a.reasonCode])).toEqual([["ADJ-J1", "reimbursed"]]);
    const found = await detectionsOf(seller, "R01");
    expect(found.map((d) => d.fingerprint).sort()).toEqual(["X0A:ADJ-A:2026-10-01", "X0E:ADJ-E2:2026-09-22", "X0G:ADJ-G:2026-06-01", "X0J:ADJ-J2:2026-09-03"]);
    // One reimbursement never cancels two losses: the oldest is paid, the second stays open.
    expect(by("X0E").map((a) => [a.referenceId, a.reasonCode, a.reimbursementId])).toEqual([["ADJ-E1", "reimbursed", "2001"]]);
  });

  it("keeps an old loss as expired, value lost to the window", async () => {
    const g = (await detectionsOf(seller, "R01")).find((d) => d.fnsku === "X0G")!;
    expect(g.deadline!.toISOString().slice(0, 10)).toBe("2026-07-31");
    expect(derivedStatus(g.status, g.opensAt, g.deadline, NOW)).toBe("expired");
    expect(daysRemaining(g.deadline, NOW)).toBe(-97);
    expect(g.status).toBe("pending");
  });

  it("updates on a rerun instead of adding rows, and keeps the status a seller set", async () => {
    const before = await detectionsOf(seller, "R01");
    const a = before.find((d) => d.fnsku === "X0A")!;
    await db.detection.update({ where: { id: a.id }, data: { status: "filed", statusSetBy: "seller", statusNote: "case 555" } });
    const again = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
    expect(again).toMatchObject({ found: 0, updated: before.length });
    const after = await detectionsOf(seller, "R01");
    expect(after.map((d) => d.id)).toEqual(before.map((d) => d.id));
    expect(after.find((d) => d.id === a.id)).toMatchObject({ status: "filed", statusSetBy: "seller", statusNote: "case 555" });
  });

  it("reads findings as a seller sees them and the set-asides per SKU", async () => {
    const views = await detectionsFor(seller, NOW, { ruleId: "R01" });
    const g = views.find((v) => v.fnsku === "X0G")!;
    expect(g).toMatchObject({ status: "expired", storedStatus: "pending", daysRemaining: -97, readyToFile: false });
    const a = views.find((v) => v.fnsku === "X0A")!;
    expect(a).toMatchObject({ status: "filed", deadline: "2026-11-30", daysRemaining: 25, fileBy: "2026-11-23", readyToFile: false });
    expect(await setAsidesForSku(seller, "SKU-D")).toEqual([
      expect.objectContaining({ ruleId: "R01", reasonCode: "reimbursed", reason: "Amazon reimbursed it on day 5: reimbursement 1234", reimbursementId: "1234" }),
    ]);
    // Found on the sibling: queryable under the SKU of the lost units.
    expect((await setAsidesForSku(seller, "SKU-B")).map((a) => a.reasonCode)).toEqual(["found-sibling"]);
  });

  it("closes a finding as resolved with the reimbursement that paid it later", async () => {
    await ledgerFor(seller).reimbursement({ reimbursementId: "9999", approvalDate: "2026-11-03", reason: "Lost_Warehouse", fnsku: "X0A", sku: "SKU-A", cash: 3, amountPerUnit: 800 });
    const result = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
    expect(result.resolved).toBe(1);
    const a = (await detectionsOf(seller, "R01")).find((d) => d.fnsku === "X0A")!;
    expect(a).toMatchObject({ status: "resolved", statusSetBy: "system", resolvedByReimbursementId: "9999" });
    expect((await setAsidesOf(seller, "R01")).find((s) => s.fnsku === "X0A")).toMatchObject({ reasonCode: "reimbursed", reimbursementId: "9999" });
  });
});

describe("R02 fc-damaged-unreimbursed", () => {
  it("finds damage Amazon did not pay, keeps already-unsellable units as info, sets aside corrected and paid damage", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.detail(
      { date: "2026-10-10", fnsku: "D0A", asin: "BD0A", msku: "SKU-DA", reason: "E", quantity: -2, referenceId: "E-A", unreconciledQuantity: 2 },
      { date: "2026-10-10", fnsku: "D0A", asin: "BD0A", msku: "SKU-DA", reason: "P", quantity: 2, referenceId: "P-A", disposition: "WAREHOUSE_DAMAGED" },
      { date: "2026-10-10", fnsku: "D0B", asin: "BD0B", msku: "SKU-DB", reason: "H", quantity: -1, referenceId: "H-B", disposition: "CUSTOMER_DAMAGED" },
      { date: "2026-10-10", fnsku: "D0C", asin: "BD0C", msku: "SKU-DC", reason: "E", quantity: -1, referenceId: "E-C" },
      { date: "2026-10-20", fnsku: "D0C", asin: "BD0C", msku: "SKU-DC", reason: "P", quantity: 1, referenceId: "P-C", disposition: "SELLABLE" },
      { date: "2026-10-10", fnsku: "D0D", asin: "BD0D", msku: "SKU-DD", reason: "6", quantity: -1, referenceId: "6-D", disposition: "CARRIER_DAMAGED" },
      { date: "2026-11-01", fnsku: "D0E", asin: "BD0E", msku: "SKU-DE", reason: "E", quantity: -1, referenceId: "E-E" },
    );
    await l.reimbursement({ reimbursementId: "DW-1", approvalDate: "2026-10-15", reason: "Damaged_Warehouse", fnsku: "D0D", sku: "SKU-DD", amountPerUnit: 1200 });
    await l.reimbursement({ reimbursementId: "DW-2", approvalDate: "2026-08-15", reason: "Damaged_Warehouse", fnsku: "D0A", sku: "SKU-DA", amountPerUnit: 1100 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R02"] });
    const found = await detectionsOf(seller, "R02");
    expect(found.map((d) => d.fnsku)).toEqual(["D0A", "D0B"]);
    const a = found[0]!;
    // No seller cost: the median of Amazon's past payouts for the FNSKU, a fallback.
    expect(a).toMatchObject({ units: 2, valueBasis: "reimbursement-median", unitValueMinor: 1100n, estimatedValueMinor: 2200n, claimFamily: "fc-damaged" });
    expect(a.opensAt.toISOString().slice(0, 10)).toBe("2026-10-20");
    expect((a.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base", "young", "fallback-value"]);
    expect(a.confidence).toBeCloseTo(0.8 * 0.8 * 0.85, 3);
    expect((a.evidence as { rows: { role: string }[] }).rows.map((r) => r.role)).toEqual(["loss", "paired-p-row"]);
    expect(found[1]).toMatchObject({ severity: "info" });
    expect((found[1]!.confidenceReasons as { code: string }[]).map((r) => r.code)).toContain("already-unsellable");
    const asides = await setAsidesOf(seller, "R02");
    expect(asides.map((s) => [s.fnsku, s.reasonCode, s.reimbursementId])).toEqual([
      ["D0C", "disposition-corrected", null],
      ["D0D", "reimbursed", "DW-1"],
      ["D0E", "too-early", null],
    ]);
  });
});

describe("R02 with the ledger summary synced", () => {
  it("finds unpaid damage although the summary shows no unit lost or found for the FNSKU (its guard is R01's)", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.detail(
      { date: "2026-10-10", fnsku: "S0A", asin: "BS0A", msku: "SKU-SA", reason: "E", quantity: -1, referenceId: "E-SA", unreconciledQuantity: 1, reconciledQuantity: 0 },
      { date: "2026-10-10", fnsku: "S0A", asin: "BS0A", msku: "SKU-SA", reason: "P", quantity: 1, referenceId: "E-SA", disposition: "WAREHOUSE_DAMAGED" },
      // A loss whose unit the summary shows found again: R01 still sets it aside on the summary.
      { date: "2026-10-10", fnsku: "S0B", asin: "BS0B", msku: "SKU-SB", reason: "M", quantity: -1, referenceId: "M-SB", unreconciledQuantity: 1, reconciledQuantity: 0 },
    );
    const summary = (fnsku: string, lost: number, found: number, damaged: number) =>
      db.ledgerSummary.create({
        data: { sellerConnectionId: seller, date: new Date("2026-10-01T00:00:00.000Z"), fnsku, disposition: "SELLABLE", lost, found, damaged, raw: {}, sourceReport: "test", sourceLine: 1, syncedAt: new Date("2026-11-01T00:00:00.000Z") },
      });
    await summary("S0A", 0, 0, -1);
    await summary("S0B", -1, 1, 0);
    await l.sourcePulled("reimbursements");
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01", "R02"] });
    expect((await detectionsOf(seller, "R02")).map((d) => d.fingerprint)).toEqual(["S0A:E-SA:2026-10-10"]);
    expect(await detectionsOf(seller, "R01")).toEqual([]);
    expect((await setAsidesOf(seller, "R01")).map((s) => [s.fnsku, s.reasonCode])).toEqual([["S0B", "found-elsewhere"]]);
  });
});
