// R10 return-misapplied over small ledgers with a pinned clock: a refunded order whose booked return is
// another product (by ASIN against the SKU's, by FNSKU against the ledger's FNSKUs of the SKU), held
// until the customer-return window opens, and the look-alikes: the right item back (no candidate), a
// partial refund, a return with nothing to compare; R04 never claims the same line; a rerun adds
// nothing; an incremental run rechecks only the order a new row touched.
import { beforeAll, describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");
const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const iso = (d: Date | null) => d!.toISOString().slice(0, 10);
const sale = (orderId: string, sku: string, postedDate: string, principal = 25) => ({
  eventType: "Shipment",
  postedDate,
  amazonOrderId: orderId,
  raw: { AmazonOrderId: orderId, ShipmentItemList: [{ SellerSKU: sku, QuantityShipped: 1, ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(principal) }], ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-principal * 0.12) }] }] },
});
const refund = (orderId: string, sku: string, postedDate: string, principal = 25, syncedAt?: Date) => ({
  eventType: "Refund",
  postedDate,
  amazonOrderId: orderId,
  syncedAt,
  raw: {
    AmazonOrderId: orderId,
    ShipmentItemAdjustmentList: [
      { SellerSKU: sku, QuantityShipped: 1, ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: money(-principal) }], ItemFeeAdjustmentList: [{ FeeType: "Commission", FeeAmount: money(principal * 0.12) }] },
    ],
  },
});

describe("R10 return-misapplied", () => {
  let seller: string;
  let l: ReturnType<typeof ledgerFor>;

  beforeAll(async () => {
    seller = await newSeller();
    l = ledgerFor(seller);
    // The ledger knows SKU-M as FNSKU XM (ASIN BM).
    await l.detail({ date: "2026-06-01", fnsku: "XM", asin: "BM", msku: "SKU-M", eventType: "Receipts", quantity: 50 });
    // W1: refunded in full, the return booked to it is ASIN BOTHER.
    await l.orderItem({ amazonOrderId: "W1", sku: "SKU-M", purchaseDate: "2026-08-01", itemPrice: 2500 });
    await l.financialEvent(sale("W1", "SKU-M", "2026-08-02"));
    await l.financialEvent(refund("W1", "SKU-M", "2026-08-20"));
    await l.customerReturn({ returnDate: "2026-08-25", orderId: "W1", sku: "SKU-M", fnsku: "XM", asin: "BOTHER", disposition: "SELLABLE", lpn: "LW1" });
    // W2: same, caught by the FNSKU (no ASIN on the return row).
    await l.orderItem({ amazonOrderId: "W2", sku: "SKU-M", purchaseDate: "2026-08-01", itemPrice: 2500 });
    await l.financialEvent(sale("W2", "SKU-M", "2026-08-02"));
    await l.financialEvent(refund("W2", "SKU-M", "2026-08-22"));
    await l.customerReturn({ returnDate: "2026-08-25", orderId: "W2", sku: "SKU-M", fnsku: "XOTHER", disposition: "SELLABLE", lpn: "LW2" });
    // W3: the right item came back: no candidate.
    await l.orderItem({ amazonOrderId: "W3", sku: "SKU-M", purchaseDate: "2026-08-01", itemPrice: 2500 });
    await l.financialEvent(sale("W3", "SKU-M", "2026-08-02"));
    await l.financialEvent(refund("W3", "SKU-M", "2026-08-20"));
    await l.customerReturn({ returnDate: "2026-08-25", orderId: "W3", sku: "SKU-M", fnsku: "XM", asin: "BM", disposition: "SELLABLE", lpn: "LW3" });
    // W4: a wrong item, but the customer got 5.00 of 25.00 back: a concession.
    await l.orderItem({ amazonOrderId: "W4", sku: "SKU-M", purchaseDate: "2026-08-01", itemPrice: 2500 });
    await l.financialEvent(sale("W4", "SKU-M", "2026-08-02"));
    await l.financialEvent(refund("W4", "SKU-M", "2026-08-20", 5));
    await l.customerReturn({ returnDate: "2026-08-25", orderId: "W4", sku: "SKU-M", fnsku: "XOTHER", disposition: "SELLABLE", lpn: "LW4" });
    // W5: refunded recently: the window has not opened.
    await l.orderItem({ amazonOrderId: "W5", sku: "SKU-M", purchaseDate: "2026-10-01", itemPrice: 2500 });
    await l.financialEvent(sale("W5", "SKU-M", "2026-10-02"));
    await l.financialEvent(refund("W5", "SKU-M", "2026-10-10"));
    await l.customerReturn({ returnDate: "2026-10-12", orderId: "W5", sku: "SKU-M", fnsku: "XOTHER", disposition: "SELLABLE", lpn: "LW5" });
    // W6: a SKU the ledger and All Orders know nothing of: nothing to compare, no candidate.
    await l.financialEvent(refund("W6", "SKU-N", "2026-08-20"));
    await l.customerReturn({ returnDate: "2026-08-25", orderId: "W6", sku: "SKU-N", fnsku: "XN2", asin: "BN2", disposition: "SELLABLE", lpn: "LW6" });
    await l.sourcePulled("reimbursements");
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R04", "R10"] });
  });

  it("finds a full refund whose booked return is another product, valued at the sale minus fees", async () => {
    const found = await detectionsOf(seller, "R10");
    expect(found.map((d) => d.fingerprint)).toEqual(["W1:SKU-M:wrong-item", "W2:SKU-M:wrong-item"]);
    const [w1, w2] = found as [(typeof found)[0], (typeof found)[0]];
    expect(w1).toMatchObject({ orderId: "W1", sku: "SKU-M", units: 1, estimatedValueMinor: 2200n, valueBasis: "sale-price-minus-fees", confidence: 0.6, claimFamily: "customer-return" });
    expect([iso(w1.anchorDate), iso(w1.opensAt), iso(w1.deadline)]).toEqual(["2026-08-20", "2026-10-19", "2026-12-18"]);
    expect(derivedStatus(w1.status, w1.opensAt, w1.deadline, NOW)).toBe("pending");
    expect((w1.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ mismatch: "asin", orderedAsin: "BM", returnedAsin: "BOTHER" });
    expect((w2.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ mismatch: "fnsku", returnedFnsku: "XOTHER", skuFnskusPerLedger: "XM" });
    // R04 counts the booked return as a return: the same line is never claimed twice.
    expect(await detectionsOf(seller, "R04")).toEqual([]);
    const r04 = await setAsidesOf(seller, "R04");
    expect(r04.filter((a) => a.orderId === "W1" || a.orderId === "W2").map((a) => a.reasonCode)).toEqual(["returned", "returned"]);
  });

  it("sets aside a partial refund and a refund whose window has not opened; the right item back is no candidate", async () => {
    const asides = await setAsidesOf(seller, "R10");
    expect(asides.map((a) => [a.orderId, a.reasonCode])).toEqual([
      ["W4", "partial-refund"],
      ["W5", "too-early"],
    ]);
    expect(iso(asides[1]!.recheckAt)).toBe("2026-12-09");
    expect(asides.some((a) => a.orderId === "W3" || a.orderId === "W6")).toBe(false);
  });

  it("updates on a rerun; incremental rechecks only the order a new row touched", async () => {
    const before = await detectionsOf(seller, "R10");
    const rerun = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R10"] });
    expect(rerun.byRule.R10).toMatchObject({ ran: true, found: 0, updated: 2 });
    expect((await detectionsOf(seller, "R10")).map((d) => d.id)).toEqual(before.map((d) => d.id));

    // W4's customer is refunded the rest: now a full refund.
    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.financialEvent(refund("W4", "SKU-M", "2026-11-05", 20, new Date("2026-11-05T14:00:00.000Z")));
    const run = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R10"] });
    expect(run.mode).toBe("incremental");
    // SKU-M is touched too (the refund's SKU): every return of the SKU is looked at again, W6's SKU is not.
    expect(run.byRule.R10).toMatchObject({ ran: true, candidates: 4, found: 1 });
    const after = await detectionsOf(seller, "R10");
    expect(after.map((d) => d.orderId)).toEqual(["W1", "W2", "W4"]);
    expect((await setAsidesOf(seller, "R10")).map((a) => [a.orderId, a.reasonCode])).toEqual([["W5", "too-early"]]);
  });
});
