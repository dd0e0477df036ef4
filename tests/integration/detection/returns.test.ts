// R04 return-refunded-not-returned and R05 return-unsellable-amazon-fault over small ledgers with a
// pinned clock: refunds never returned (valued at the refund minus the referral fee credited back), held
// until the window opens, expired; returns Amazon or its carrier damaged, waiting for the window; and
// the look-alikes: returned, reimbursed, merchant-fulfilled, CUSTOMER_DAMAGED / DEFECTIVE returns.
import { beforeAll, describe, expect, it } from "vitest";
import { oneRowPerFingerprint, runDetection } from "@/lib/detection/run-detection";
import { daysUntilOpen, derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");

const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const refund = (orderId: string, sku: string, postedDate: string, principal = 25, commission = 3, quantity = 1) => ({
  eventType: "Refund",
  postedDate,
  amazonOrderId: orderId,
  raw: {
    AmazonOrderId: orderId,
    PostedDate: `${postedDate}T10:00:00Z`,
    ShipmentItemAdjustmentList: [
      {
        SellerSKU: sku,
        QuantityShipped: quantity,
        ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: money(-principal * quantity) }],
        ItemFeeAdjustmentList: [
          { FeeType: "Commission", FeeAmount: money(commission * quantity) },
          { FeeType: "RefundCommission", FeeAmount: money(-0.6 * quantity) },
        ],
      },
    ],
  },
});

describe("R04 return-refunded-not-returned and R05 return-unsellable-amazon-fault", () => {
  let seller: string;

  beforeAll(async () => {
    seller = await newSeller();
    const l = ledgerFor(seller);
    // R04
    await l.financialEvent(refund("O1", "SKU-R", "2026-08-15"));
    await l.financialEvent(refund("O2", "SKU-R", "2026-10-01"));
    await l.financialEvent(refund("O3", "SKU-R", "2026-08-15"));
    await l.customerReturn({ returnDate: "2026-08-20", orderId: "O3", sku: "SKU-R", fnsku: "XR", disposition: "SELLABLE", lpn: "LPN3" });
    await l.financialEvent(refund("O4", "SKU-R", "2026-08-15"));
    await l.reimbursement({ reimbursementId: "CR-4", approvalDate: "2026-10-20", reason: "CustomerReturn", amazonOrderId: "O4", sku: "SKU-R", fnsku: "XR", amountPerUnit: 2200 });
    await l.financialEvent(refund("O5", "SKU-R", "2026-06-01"));
    await l.financialEvent(refund("O6", "SKU-R", "2026-08-15"));
    await l.orderItem({ amazonOrderId: "O6", sku: "SKU-R", purchaseDate: "2026-08-01", fulfillmentChannel: "Merchant", itemPrice: 2500 });
    // R05
    await l.financialEvent(refund("O7", "SKU-R", "2026-08-28"));
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O7", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN7" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O8", sku: "SKU-R", fnsku: "XR", disposition: "CUSTOMER_DAMAGED", lpn: "LPN8" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O8B", sku: "SKU-R", fnsku: "XR", disposition: "DEFECTIVE", lpn: "LPN8B" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O9", sku: "SKU-R", fnsku: "XR", disposition: "DAMAGED", lpn: "LPN9" });
    await l.reimbursement({ reimbursementId: "CR-9", approvalDate: "2026-09-10", reason: "CustomerReturn", amazonOrderId: "O9", sku: "SKU-R", fnsku: "XR", amountPerUnit: 2200 });
    await l.customerReturn({ returnDate: "2026-10-20", orderId: "O10", sku: "SKU-R", fnsku: "XR", disposition: "DAMAGED", lpn: "LPN10" });
    await l.financialEvent(refund("O11", "SKU-R", "2026-09-18"));
    await l.customerReturn({ returnDate: "2026-09-20", orderId: "O11", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN11" });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R04", "R05"] });
  });

  it("R04: finds a refund never returned nor reimbursed, valued at the refund minus the referral fee", async () => {
    const found = await detectionsOf(seller, "R04");
    expect(found.map((d) => d.fingerprint)).toEqual(["O1:SKU-R", "O5:SKU-R"]);
    const o1 = found[0]!;
    expect(o1).toMatchObject({ orderId: "O1", units: 1, unitValueMinor: 2200n, estimatedValueMinor: 2200n, valueBasis: "sale-price-minus-fees", claimFamily: "customer-return", windowPolicyId: "default-customer-return-2024-10-23" });
    expect(o1.opensAt.toISOString().slice(0, 10)).toBe("2026-10-14");
    expect(o1.deadline!.toISOString().slice(0, 10)).toBe("2026-12-13");
    expect(derivedStatus(o1.status, o1.opensAt, o1.deadline, NOW)).toBe("pending");
    expect((o1.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base", "channel-unknown"]);
    const facts = (o1.evidence as { facts: Record<string, unknown> }).facts;
    expect(facts).toMatchObject({ refunded: 1, returned: 0, reimbursed: 0, missing: 1 });
    const o5 = found[1]!;
    expect(derivedStatus(o5.status, o5.opensAt, o5.deadline, NOW)).toBe("expired");
  });

  it("R04: sets aside a refund whose window has not opened, one returned, one reimbursed, a merchant order, and every damaged return", async () => {
    const asides = await setAsidesOf(seller, "R04");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["O11:SKU-R", "returned"],
      ["O2:SKU-R", "too-early"],
      ["O3:SKU-R", "returned"],
      ["O4:SKU-R", "reimbursed"],
      ["O6:SKU-R", "not-fba"],
      ["O7:SKU-R", "returned"],
    ]);
    const o2 = asides.find((a) => a.orderId === "O2")!;
    expect(o2.reason).toBe("Window opens in 25 days (2026-11-30): Amazon may still settle it on its own before then");
    expect(o2.recheckAt!.toISOString().slice(0, 10)).toBe("2026-11-30");
    expect(asides.find((a) => a.orderId === "O4")).toMatchObject({ reimbursementId: "CR-4" });
  });

  it("R05: finds carrier damage Amazon did not pay, waiting for the window; never a customer-damaged or defective return", async () => {
    const found = await detectionsOf(seller, "R05");
    expect(found.map((d) => d.fingerprint)).toEqual(["O11:LPN11", "O7:LPN7"]);
    const o7 = found.find((d) => d.orderId === "O7")!;
    expect(o7).toMatchObject({ units: 1, estimatedValueMinor: 2200n, valueBasis: "sale-price-minus-fees", confidence: 0.75, referenceId: "LPN7" });
    expect(o7.anchorDate.toISOString().slice(0, 10)).toBe("2026-08-28");
    expect(derivedStatus(o7.status, o7.opensAt, o7.deadline, NOW)).toBe("pending");
    const o11 = found.find((d) => d.orderId === "O11")!;
    expect(derivedStatus(o11.status, o11.opensAt, o11.deadline, NOW)).toBe("waiting");
    expect(daysUntilOpen(o11.opensAt, NOW)).toBe(12);
    const asides = await setAsidesOf(seller, "R05");
    expect(asides.map((a) => [a.orderId, a.reasonCode])).toEqual([
      ["O10", "too-early"],
      ["O8", "not-amazon-fault"],
      ["O8B", "not-amazon-fault"],
      ["O9", "reimbursed"],
    ]);
    expect(asides.find((a) => a.orderId === "O8")!.reason).toContain("CUSTOMER_DAMAGED");
    expect(asides.find((a) => a.orderId === "O9")).toMatchObject({ reimbursementId: "CR-9" });
  });
});

describe("R07 replacement-not-returned", () => {
  it("finds a replacement whose original never came back, holds a young one, and sets aside returned, reimbursed and refunded originals", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.financialEvent({
      eventType: "Shipment",
      postedDate: "2026-07-20",
      amazonOrderId: "P1",
      raw: { AmazonOrderId: "P1", ShipmentItemList: [{ SellerSKU: "SKU-P", QuantityShipped: 1, ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(30) }], ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-4.5) }] }] },
    });
    await l.replacement({ shipmentDate: "2026-08-01", sku: "SKU-P", replacementOrderId: "RP1", originalOrderId: "P1" });
    await l.replacement({ shipmentDate: "2026-10-01", sku: "SKU-P", replacementOrderId: "RP2", originalOrderId: "P2" });
    await l.replacement({ shipmentDate: "2026-08-01", sku: "SKU-P", replacementOrderId: "RP3", originalOrderId: "P3" });
    await l.customerReturn({ returnDate: "2026-08-20", orderId: "P3", sku: "SKU-P", fnsku: "XP", disposition: "SELLABLE", lpn: "LP3" });
    await l.replacement({ shipmentDate: "2026-08-01", sku: "SKU-P", replacementOrderId: "RP4", originalOrderId: "P4" });
    await l.reimbursement({ reimbursementId: "CR-P4", approvalDate: "2026-10-05", reason: "CustomerServiceIssue", amazonOrderId: "P4", sku: "SKU-P", amountPerUnit: 2500 });
    await l.replacement({ shipmentDate: "2026-08-01", sku: "SKU-P", replacementOrderId: "RP5", originalOrderId: "P5" });
    await l.financialEvent(refund("P5", "SKU-P", "2026-08-02"));
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R07"] });
    const found = await detectionsOf(seller, "R07");
    expect(found.map((d) => d.fingerprint)).toEqual(["P1:SKU-P:RP1"]);
    expect(found[0]).toMatchObject({ orderId: "P1", referenceId: "RP1", units: 1, estimatedValueMinor: 2550n, valueBasis: "sale-price-minus-fees", confidence: 0.7, claimFamily: "customer-return" });
    expect([found[0]!.opensAt, found[0]!.deadline].map((d) => d!.toISOString().slice(0, 10))).toEqual(["2026-09-30", "2026-11-29"]);
    const asides = await setAsidesOf(seller, "R07");
    expect(asides.map((a) => [a.orderId, a.reasonCode])).toEqual([
      ["P2", "too-early"],
      ["P3", "returned"],
      ["P4", "reimbursed"],
      ["P5", "refunded"],
    ]);
  });
});

describe("R04 with a refund posted twice and a wrong item returned", () => {
  it("counts refunded units up to the units shipped, and leaves a different item sent back to R10", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    const shipment = (orderId: string, sku: string, postedDate: string) => ({
      eventType: "Shipment",
      postedDate,
      amazonOrderId: orderId,
      raw: {
        AmazonOrderId: orderId,
        PostedDate: `${postedDate}T10:00:00Z`,
        ShipmentItemList: [{ SellerSKU: sku, QuantityShipped: 1, ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(25) }], ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-3) }] }],
      },
    });
    // One unit shipped, refunded twice, and returned: nothing is missing (the second refund is R09's).
    await l.financialEvent(shipment("O20", "SKU-R", "2026-07-20"));
    await l.financialEvent(refund("O20", "SKU-R", "2026-08-15"));
    await l.financialEvent(refund("O20", "SKU-R", "2026-08-17"));
    await l.customerReturn({ returnDate: "2026-08-12", orderId: "O20", sku: "SKU-R", fnsku: "XR", disposition: "SELLABLE", lpn: "LPN20" });
    // One unit shipped, refunded, and another product came back for the order.
    await l.financialEvent(shipment("O21", "SKU-R", "2026-07-20"));
    await l.financialEvent(refund("O21", "SKU-R", "2026-08-15"));
    await l.customerReturn({ returnDate: "2026-08-12", orderId: "O21", sku: "SKU-W", fnsku: "XW", disposition: "SELLABLE", lpn: "LPN21" });
    // One unit shipped, refunded twice, never returned: one unit missing, not two.
    await l.financialEvent(shipment("O22", "SKU-R", "2026-07-20"));
    await l.financialEvent(refund("O22", "SKU-R", "2026-08-15"));
    await l.financialEvent(refund("O22", "SKU-R", "2026-08-16"));
    await l.sourcePulled("financial-events", "customer-returns", "reimbursements");
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R04"] });
    const found = await detectionsOf(seller, "R04");
    expect(found.map((d) => [d.fingerprint, d.units])).toEqual([["O22:SKU-R", 1]]);
    expect((found[0]!.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ refunded: 1, refundedInEvents: 2, missing: 1 });
    const asides = await setAsidesOf(seller, "R04");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["O20:SKU-R", "returned"],
      ["O21:SKU-R", "wrong-item"],
    ]);
    expect(asides[1]!.reason).toContain("SKU-W");
  });
});

describe("R05 with a return Amazon listed twice", () => {
  it("takes the latest listing of an order's license plate: one candidate, a corrected disposition wins, and the run stores", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    // The same unit (order, license plate) listed on two days: one claim, dated by the later listing.
    await l.financialEvent(refund("O21", "SKU-R", "2026-08-28"));
    await l.customerReturn({ returnDate: "2026-08-31", orderId: "O21", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN21" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O21", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN21" });
    // Listed damaged, then corrected to sellable: not a claim.
    await l.financialEvent(refund("O22", "SKU-R", "2026-08-28"));
    await l.customerReturn({ returnDate: "2026-08-31", orderId: "O22", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN22" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O22", sku: "SKU-R", fnsku: "XR", disposition: "SELLABLE", lpn: "LPN22" });
    // The reimbursements report is in (R05 needs it), with nothing for these orders.
    await l.reimbursement({ reimbursementId: "CR-20", approvalDate: "2026-09-10", reason: "CustomerReturn", amazonOrderId: "O20", sku: "SKU-R", fnsku: "XR", amountPerUnit: 2200 });
    // The same customer-damaged unit twice: one set-aside (two rows of one fingerprint made the upsert refuse the batch).
    await l.customerReturn({ returnDate: "2026-08-31", orderId: "O23", sku: "SKU-R", fnsku: "XR", disposition: "CUSTOMER_DAMAGED", lpn: "LPN23" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "O23", sku: "SKU-R", fnsku: "XR", disposition: "CUSTOMER_DAMAGED", lpn: "LPN23" });

    const result = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R05"] });
    expect(result.byRule.R05).toMatchObject({ ran: true, candidates: 2 });
    const found = await detectionsOf(seller, "R05");
    expect(found.map((d) => [d.fingerprint, d.units, d.eventDate.toISOString().slice(0, 10)])).toEqual([["O21:LPN21", 1, "2026-09-01"]]);
    const asides = await setAsidesOf(seller, "R05");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([["O23:LPN23", "not-amazon-fault"]]);
  });
});

describe("one candidate per fingerprint", () => {
  const row = (fingerprint: string, setAside: boolean) =>
    ({ fingerprint, units: 1, eventDate: "2026-09-01", anchorDate: "2026-09-01", marketplaceId: null, facts: {}, evidence: [], setAside: setAside ? { code: "found", reason: "found" } : null }) as never;

  it("keeps the rows as they are when every fingerprint is unique, else the first open row of each", () => {
    const unique = [row("a", false), row("b", true)];
    expect(oneRowPerFingerprint("R05", unique)).toBe(unique);
    const merged = oneRowPerFingerprint("R05", [row("a", true), row("b", false), row("a", false), row("b", false)]);
    expect(merged.map((r: { fingerprint: string; setAside: unknown }) => [r.fingerprint, r.setAside === null])).toEqual([
      ["a", true],
      ["b", true],
    ]);
  });
});
