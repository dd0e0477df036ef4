// R08 reimbursement-under-value and R16 reimbursement-reversed-unsupported over small ledgers with a
// pinned clock: payouts below the seller's cost (with and without invoice) or below the refund minus
// fees, and the look-alikes (paid at cost, no cost entered, reversed in full); reversals with nothing to
// support them, reversed twice, and the look-alikes (a found unit, a sellable return, a cash-for-unit swap).
import { describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });

describe("R08 reimbursement-under-value", () => {
  it("finds payouts below cost or below the refund minus fees, and only those", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.unitCost("SKU-C", 1000, true);
    await l.unitCost("SKU-N", 1000, false);
    await l.unitCost("SKU-OK", 1000, true);
    await l.unitCost("SKU-REV", 1000, true);
    await l.reimbursement({ reimbursementId: "P-1", approvalDate: "2026-10-10", reason: "Lost_Warehouse", fnsku: "XC", sku: "SKU-C", cash: 2, amountPerUnit: 500 });
    await l.reimbursement({ reimbursementId: "P-2", approvalDate: "2026-10-10", reason: "Damaged_Warehouse", fnsku: "XN", sku: "SKU-N", cash: 1, amountPerUnit: 600 });
    await l.reimbursement({ reimbursementId: "P-3", approvalDate: "2026-10-10", reason: "Lost_Warehouse", fnsku: "XOK", sku: "SKU-OK", cash: 1, amountPerUnit: 950 });
    await l.reimbursement({ reimbursementId: "P-4", approvalDate: "2026-10-10", reason: "Lost_Warehouse", fnsku: "XU", sku: "SKU-U", cash: 1, amountPerUnit: 300 });
    await l.reimbursement({ reimbursementId: "P-5", approvalDate: "2026-10-10", reason: "Lost_Warehouse", fnsku: "XREV", sku: "SKU-REV", cash: 1, amountPerUnit: 100 });
    await l.reimbursement({ reimbursementId: "P-5R", approvalDate: "2026-10-20", reason: "Reimbursement_Reversal", fnsku: "XREV", sku: "SKU-REV", cash: -1, amountPerUnit: -100, originalReimbursementId: "P-5" });
    // Before the sourcing-cost date: valued by Amazon on sale price, not checked against cost.
    await l.reimbursement({ reimbursementId: "P-6", approvalDate: "2025-02-10", reason: "Lost_Warehouse", fnsku: "XC", sku: "SKU-C", cash: 1, amountPerUnit: 100 });
    // After an order: refund 25.00 with 3.00 referral credited back = 22.00 owed a unit; paid 10.00.
    await l.financialEvent({
      eventType: "Refund",
      postedDate: "2026-09-01",
      amazonOrderId: "O20",
      raw: {
        AmazonOrderId: "O20",
        ShipmentItemAdjustmentList: [{ SellerSKU: "SKU-R", QuantityShipped: 1, ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: money(-25) }], ItemFeeAdjustmentList: [{ FeeType: "Commission", FeeAmount: money(3) }] }],
      },
    });
    await l.reimbursement({ reimbursementId: "P-7", approvalDate: "2026-10-25", reason: "CustomerReturn", amazonOrderId: "O20", fnsku: "XR", sku: "SKU-R", cash: 1, amountPerUnit: 1000 });
    await l.reimbursement({ reimbursementId: "P-8", approvalDate: "2026-10-25", reason: "CustomerReturn", amazonOrderId: "O20", fnsku: "XR2", sku: "SKU-R", cash: 1, amountPerUnit: 2100 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R08"] });
    const found = await detectionsOf(seller, "R08");
    expect(found.map((d) => d.fingerprint)).toEqual(["P-1:XC", "P-2:XN", "P-7:XR"]);
    const [c, n, b] = found as [(typeof found)[0], (typeof found)[0], (typeof found)[0]];
    expect(c).toMatchObject({ reimbursementId: "P-1", units: 2, estimatedValueMinor: 1000n, unitValueMinor: 500n, valueBasis: "seller-cost-shortfall", confidence: 0.75, claimFamily: "reimbursement-revaluation" });
    expect(c.deadline!.toISOString().slice(0, 10)).toBe("2026-12-09");
    expect(n).toMatchObject({ estimatedValueMinor: 400n, confidence: 0.4 });
    expect(b).toMatchObject({ orderId: "O20", estimatedValueMinor: 1200n, valueBasis: "sale-price-minus-fees-shortfall", confidence: 0.6 });
    expect((b.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ check: "b", paidMinor: 1000, expectedMinor: 2200, shortMinor: 1200 });
    const asides = await setAsidesOf(seller, "R08");
    expect(asides.map((a) => [a.reimbursementId, a.reasonCode])).toEqual([["P-4", "no-unit-cost"]]);
    expect(asides[0]!.reason).toBe("No unit cost entered for SKU-U: enter it to check this payout of 3.00 USD a unit against it");
  });
});

describe("R16 reimbursement-reversed-unsupported", () => {
  it("finds reversals nothing supports, a second reversal of one payout, and sets aside found units, returns and swaps", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    const payout = (id: string, fnsku: string, extra: Record<string, unknown> = {}) =>
      l.reimbursement({ reimbursementId: id, approvalDate: "2026-09-01", reason: "Lost_Warehouse", fnsku, sku: `SKU-${fnsku}`, asin: `B-${fnsku}`, cash: 1, amountPerUnit: 1500, ...extra });
    const reversal = (id: string, original: string, fnsku: string, date: string, extra: Record<string, unknown> = {}) =>
      l.reimbursement({ reimbursementId: id, approvalDate: date, reason: "Reimbursement_Reversal", fnsku, sku: `SKU-${fnsku}`, asin: `B-${fnsku}`, cash: -1, amountPerUnit: -1500, originalReimbursementId: original, ...extra });
    await payout("L1", "X16A");
    await reversal("V1", "L1", "X16A", "2026-10-15");
    await payout("L2", "X16B");
    await reversal("V2", "L2", "X16B", "2026-10-15");
    await l.detail({ date: "2026-10-01", fnsku: "X16B", asin: "B-X16B", reason: "F", quantity: 1, referenceId: "F-B" });
    await payout("L3", "X16C");
    await reversal("V3", "L3", "X16C", "2026-10-15", { inventory: 1 });
    await payout("L4", "X16D");
    await l.detail({ date: "2026-09-20", fnsku: "X16D", asin: "B-X16D", reason: "F", quantity: 1, referenceId: "F-D" });
    await reversal("V4A", "L4", "X16D", "2026-10-01");
    await reversal("V4B", "L4", "X16D", "2026-10-10");
    await payout("L5", "X16E", { reason: "CustomerReturn", amazonOrderId: "O16", amountPerUnit: 2000 });
    await l.customerReturn({ returnDate: "2026-09-20", orderId: "O16", sku: "SKU-X16E", fnsku: "X16E", disposition: "SELLABLE", lpn: "LPN16" });
    await reversal("V5", "L5", "X16E", "2026-10-15", { amountPerUnit: -2000 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R16"] });
    const found = await detectionsOf(seller, "R16");
    expect(found.map((d) => d.fingerprint)).toEqual(["V1:X16A", "V4B:X16D"]);
    const v1 = found[0]!;
    expect(v1).toMatchObject({ reimbursementId: "V1", referenceId: "L1", units: 1, estimatedValueMinor: 1500n, valueBasis: "reversed-amount", confidence: 0.7, claimFamily: "reimbursement-reversal", windowVerify: true });
    expect(v1.deadline!.toISOString().slice(0, 10)).toBe("2026-12-14");
    expect(v1.summary).toBe("Reversal V1 took back 15.00 USD: no found unit of X16A between the payout and the reversal");
    expect((v1.evidence as { rows: { role: string }[] }).rows.map((r) => r.role)).toEqual(["reversal", "original"]);
    expect(found[1]!.summary).toContain("already reversed before");
    const asides = await setAsidesOf(seller, "R16");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["V2:X16B", "found"],
      ["V3:X16C", "swap"],
      ["V4A:X16D", "found"],
      ["V5:X16E", "returned"],
    ]);
  });
});
