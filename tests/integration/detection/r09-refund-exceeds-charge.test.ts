// R09 refund-exceeds-charge over small Finances ledgers with a pinned clock: a double refund of one
// unit (valued at the excess principal minus the referral fee credited back on it), a refund above the
// charge, one line of a two-line order refunded above its own charge, and the look-alikes: split
// refunds of a two-unit line that add up to the charge, refunds whose sale is not in the data, a single
// refund within the charge (no candidate at all); a rerun adds nothing; an incremental run rechecks
// only the order a new refund touched.
import { beforeAll, describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");
const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const iso = (d: Date | null) => d!.toISOString().slice(0, 10);

const sale = (orderId: string, postedDate: string, items: { id: string; sku: string; qty: number; principal: number; commission: number }[]) => ({
  eventType: "Shipment",
  postedDate,
  amazonOrderId: orderId,
  raw: {
    AmazonOrderId: orderId,
    ShipmentItemList: items.map((i) => ({
      SellerSKU: i.sku,
      OrderItemId: i.id,
      QuantityShipped: i.qty,
      ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(i.principal) }],
      ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-i.commission) }],
    })),
  },
});
const refund = (orderId: string, postedDate: string, item: { id: string; sku: string; qty?: number; principal: number; commissionBack?: number }, syncedAt?: Date) => ({
  eventType: "Refund",
  postedDate,
  amazonOrderId: orderId,
  syncedAt,
  raw: {
    AmazonOrderId: orderId,
    PostedDate: `${postedDate}T10:00:00Z`,
    ShipmentItemAdjustmentList: [
      {
        SellerSKU: item.sku,
        OrderItemId: item.id,
        OrderAdjustmentItemId: `adj-${orderId}-${postedDate}`,
        QuantityShipped: item.qty ?? 1,
        ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: money(-item.principal) }],
        ItemFeeAdjustmentList: [{ FeeType: "Commission", FeeAmount: money(item.commissionBack ?? 0) }],
      },
    ],
  },
});

describe("R09 refund-exceeds-charge", () => {
  let seller: string;
  let l: ReturnType<typeof ledgerFor>;

  beforeAll(async () => {
    seller = await newSeller();
    l = ledgerFor(seller);
    // Double refund of one unit: 25.00 charged, 25.00 refunded twice a day apart, 3.00 referral credited back each time.
    await l.financialEvent(sale("Q1", "2026-08-20", [{ id: "I1", sku: "SKU-Q", qty: 1, principal: 25, commission: 3.75 }]));
    await l.financialEvent(refund("Q1", "2026-09-01", { id: "I1", sku: "SKU-Q", principal: 25, commissionBack: 3 }));
    await l.financialEvent(refund("Q1", "2026-09-02", { id: "I1", sku: "SKU-Q", principal: 25, commissionBack: 3 }));
    // Split refunds of a two-unit line: 25.00 + 25.00 of 50.00.
    await l.financialEvent(sale("Q2", "2026-08-20", [{ id: "I2", sku: "SKU-Q", qty: 2, principal: 50, commission: 7.5 }]));
    await l.financialEvent(refund("Q2", "2026-09-01", { id: "I2", sku: "SKU-Q", principal: 25 }));
    await l.financialEvent(refund("Q2", "2026-09-20", { id: "I2", sku: "SKU-Q", principal: 25 }));
    // One refund above the charge.
    await l.financialEvent(sale("Q3", "2026-08-20", [{ id: "I3", sku: "SKU-Q", qty: 1, principal: 25, commission: 3.75 }]));
    await l.financialEvent(refund("Q3", "2026-09-05", { id: "I3", sku: "SKU-Q", principal: 30 }));
    // Refunded twice, the sale is older than the data.
    await l.financialEvent(refund("Q4", "2026-09-01", { id: "I4", sku: "SKU-Q", principal: 10 }));
    await l.financialEvent(refund("Q4", "2026-09-08", { id: "I4", sku: "SKU-Q", principal: 10 }));
    // One refund within the charge: a normal refund.
    await l.financialEvent(sale("Q5", "2026-08-20", [{ id: "I5", sku: "SKU-Q", qty: 1, principal: 25, commission: 3.75 }]));
    await l.financialEvent(refund("Q5", "2026-09-01", { id: "I5", sku: "SKU-Q", principal: 25 }));
    // Two lines of one order: the order's total stays within its charge, line I7B does not.
    await l.financialEvent(sale("Q7", "2026-08-20", [{ id: "I7A", sku: "SKU-Q", qty: 1, principal: 25, commission: 3.75 }, { id: "I7B", sku: "SKU-W", qty: 1, principal: 10, commission: 1.5 }]));
    await l.financialEvent(refund("Q7", "2026-09-03", { id: "I7A", sku: "SKU-Q", principal: 20 }));
    await l.financialEvent(refund("Q7", "2026-09-04", { id: "I7B", sku: "SKU-W", principal: 15 }));
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R09"] });
  });

  it("finds refunds above the line's charge, valued at the excess less the referral credited back on it", async () => {
    const found = await detectionsOf(seller, "R09");
    expect(found.map((d) => d.fingerprint)).toEqual(["Q1:I1", "Q3:I3", "Q7:I7B"]);
    const [q1, q3, q7] = found as [(typeof found)[0], (typeof found)[0], (typeof found)[0]];
    expect(q1).toMatchObject({ orderId: "Q1", referenceId: "I1", sku: "SKU-Q", estimatedValueMinor: 2200n, valueBasis: "refund-excess", confidence: 0.84, claimFamily: "customer-return" });
    expect((q1.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base", "double-refund"]);
    // The second refund took the total over the charge: the window runs from it.
    expect([iso(q1.anchorDate), iso(q1.opensAt), iso(q1.deadline)]).toEqual(["2026-09-02", "2026-11-01", "2026-12-31"]);
    expect(derivedStatus(q1.status, q1.opensAt, q1.deadline, NOW)).toBe("pending");
    expect((q1.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ chargedPrincipalMinor: 2500, refundedPrincipalMinor: 5000, excessPrincipalMinor: 2500, refunds: 2, doubleRefund: true });
    expect(q3).toMatchObject({ estimatedValueMinor: 500n, confidence: 0.7 });
    expect(q7).toMatchObject({ sku: "SKU-W", estimatedValueMinor: 500n });
    // A refund 60 days old on NOW opens; one anchored later would still be waiting.
    expect(derivedStatus(q3.status, q3.opensAt, q3.deadline, NOW)).toBe("pending");
    expect(iso(q7.opensAt)).toBe("2026-11-03");
  });

  it("sets aside split refunds within the charge and refunds whose sale is not in the data; a single normal refund is no candidate", async () => {
    const asides = await setAsidesOf(seller, "R09");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["Q2:I2", "within-charge"],
      ["Q4:I4", "no-charge-seen"],
    ]);
    expect(asides[0]!.reason).toBe("2 refunds of 50.00 USD in all stay within the 50.00 USD charged: split refunds");
    expect(asides.some((a) => a.orderId === "Q5")).toBe(false);
  });

  it("updates on a rerun, and an incremental run rechecks only the order a new refund touched", async () => {
    const before = await detectionsOf(seller, "R09");
    const rerun = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R09"] });
    expect(rerun.byRule.R09).toMatchObject({ ran: true, found: 0, updated: 3 });
    expect((await detectionsOf(seller, "R09")).map((d) => d.id)).toEqual(before.map((d) => d.id));

    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.financialEvent(refund("Q2", "2026-11-05", { id: "I2", sku: "SKU-Q", principal: 25 }, new Date("2026-11-05T14:00:00.000Z")));
    const run = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R09"] });
    expect(run.mode).toBe("incremental");
    expect(run.byRule.R09).toMatchObject({ ran: true, candidates: 1, found: 1 });
    const after = await detectionsOf(seller, "R09");
    expect(after.map((d) => d.fingerprint)).toEqual(["Q1:I1", "Q2:I2", "Q3:I3", "Q7:I7B"]);
    expect(after.find((d) => d.orderId === "Q2")).toMatchObject({ estimatedValueMinor: 2500n });
    expect(iso(after.find((d) => d.orderId === "Q3")!.lastSeenRunAt)).toBe("2026-11-05");
    expect((await setAsidesOf(seller, "R09")).map((a) => [a.fingerprint, a.reasonCode])).toEqual([["Q4:I4", "no-charge-seen"]]);
  });
});
