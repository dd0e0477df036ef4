// R12 fee-duplicate-charge over small Finances and All Orders ledgers with a pinned clock: an order line
// whose FBA fee was charged on more units than ordered (valued at the fee per unit on the extra units, in
// the 90-day fee window from the charge that went over), and the look-alikes: a split shipment of a
// two-unit line, extra units Amazon also paid as a sale, a line with no All Orders row (nothing to
// compare); a rerun adds nothing; an incremental run rechecks only the order a new event touched.
import { beforeAll, describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");
const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const iso = (d: Date | null) => d!.toISOString().slice(0, 10);
const shipment = (orderId: string, postedDate: string, sku: string, qty: number, principal: number, fbaFee: number, syncedAt?: Date) => ({
  eventType: "Shipment",
  postedDate,
  amazonOrderId: orderId,
  syncedAt,
  raw: {
    AmazonOrderId: orderId,
    PostedDate: `${postedDate}T10:00:00Z`,
    ShipmentItemList: [
      {
        SellerSKU: sku,
        OrderItemId: `${orderId}-1`,
        QuantityShipped: qty,
        ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(principal) }],
        ItemFeeList: [
          { FeeType: "FBAPerUnitFulfillmentFee", FeeAmount: money(-fbaFee) },
          { FeeType: "Commission", FeeAmount: money(-principal * 0.15) },
        ],
      },
    ],
  },
});

describe("R12 fee-duplicate-charge", () => {
  let seller: string;
  let l: ReturnType<typeof ledgerFor>;

  beforeAll(async () => {
    seller = await newSeller();
    l = ledgerFor(seller);
    // One unit ordered; the fee charged in two events, the second with no principal.
    await l.orderItem({ amazonOrderId: "F1", sku: "SKU-F", purchaseDate: "2026-10-01", quantity: 1, itemPrice: 2500 });
    await l.financialEvent(shipment("F1", "2026-10-02", "SKU-F", 1, 25, 4.5));
    await l.financialEvent(shipment("F1", "2026-10-03", "SKU-F", 1, 0, 4.5));
    // Two units shipped in two parts: legitimate.
    await l.orderItem({ amazonOrderId: "F2", sku: "SKU-F", purchaseDate: "2026-10-01", quantity: 2, itemPrice: 5000 });
    await l.financialEvent(shipment("F2", "2026-10-02", "SKU-F", 1, 25, 4.5));
    await l.financialEvent(shipment("F2", "2026-10-04", "SKU-F", 1, 25, 4.5));
    // An extra unit also paid as a sale: a second shipment, not a duplicate fee.
    await l.orderItem({ amazonOrderId: "F3", sku: "SKU-F", purchaseDate: "2026-10-01", quantity: 1, itemPrice: 2500 });
    await l.financialEvent(shipment("F3", "2026-10-02", "SKU-F", 1, 25, 4.5));
    await l.financialEvent(shipment("F3", "2026-10-03", "SKU-F", 1, 25, 4.5));
    // No All Orders row: nothing to compare.
    await l.financialEvent(shipment("F4", "2026-10-02", "SKU-F", 1, 25, 4.5));
    await l.financialEvent(shipment("F4", "2026-10-03", "SKU-F", 1, 25, 4.5));
    // Old: the 90-day window has passed.
    await l.orderItem({ amazonOrderId: "F5", sku: "SKU-F", purchaseDate: "2026-06-01", quantity: 1, itemPrice: 2500 });
    await l.financialEvent(shipment("F5", "2026-06-02", "SKU-F", 2, 25, 9));
    await l.sourcePulled("all-orders");
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R12"] });
  });

  it("finds the FBA fee charged on units beyond the order, in the fee window from the charge that went over", async () => {
    const found = await detectionsOf(seller, "R12");
    expect(found.map((d) => [d.fingerprint, d.units])).toEqual([
      ["F1:SKU-F:FBAPerUnitFulfillmentFee", 1],
      ["F5:SKU-F:FBAPerUnitFulfillmentFee", 1],
    ]);
    const f1 = found[0]!;
    expect(f1).toMatchObject({ orderId: "F1", sku: "SKU-F", unitValueMinor: 450n, estimatedValueMinor: 450n, valueBasis: "duplicate-fee", confidence: 0.85, claimFamily: "fee-dimensions", windowPolicyId: "default-fee-dimensions" });
    expect([iso(f1.anchorDate), iso(f1.opensAt), iso(f1.deadline)]).toEqual(["2026-10-03", "2026-10-03", "2027-01-01"]);
    expect(derivedStatus(f1.status, f1.opensAt, f1.deadline, NOW)).toBe("pending");
    expect((f1.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ ordered: 1, shipped: 2, unitsOverOrder: 1, fbaFeeChargedMinor: 900, shipmentEvents: 2 });
    const f5 = found[1]!;
    expect(f5).toMatchObject({ estimatedValueMinor: 450n });
    expect(derivedStatus(f5.status, f5.opensAt, f5.deadline, NOW)).toBe("expired");
  });

  it("sets aside a split shipment and extra units paid as a sale; a line with no order row is no candidate", async () => {
    const asides = await setAsidesOf(seller, "R12");
    expect(asides.map((a) => [a.orderId, a.reasonCode])).toEqual([
      ["F2", "split-shipment"],
      ["F3", "paid-as-sale"],
    ]);
    expect(asides[0]!.reason).toBe("Shipped in 2 parts, 2 units of the 2 ordered: each unit's fee charged once");
    expect(asides[1]!.reason).toContain("a second shipment, not a duplicate fee");
    expect(asides.some((a) => a.orderId === "F4")).toBe(false);
  });

  it("updates on a rerun; incremental rechecks only the order a new event touched", async () => {
    const before = await detectionsOf(seller, "R12");
    const rerun = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R12"] });
    expect(rerun.byRule.R12).toMatchObject({ ran: true, found: 0, updated: 2 });
    expect((await detectionsOf(seller, "R12")).map((d) => d.id)).toEqual(before.map((d) => d.id));

    // A third part of F2 with no principal: now over the order.
    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.financialEvent(shipment("F2", "2026-11-05", "SKU-F", 1, 0, 4.5, new Date("2026-11-05T14:00:00.000Z")));
    const run = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R12"] });
    expect(run.mode).toBe("incremental");
    expect(run.byRule.R12).toMatchObject({ ran: true, candidates: 1, found: 1 });
    const after = await detectionsOf(seller, "R12");
    expect(after.map((d) => [d.orderId, d.units])).toEqual([
      ["F1", 1],
      ["F2", 1],
      ["F5", 1],
    ]);
    expect(iso(after.find((d) => d.orderId === "F2")!.anchorDate)).toBe("2026-11-05");
    expect(iso(after.find((d) => d.orderId === "F1")!.lastSeenRunAt)).toBe("2026-11-05");
    expect((await setAsidesOf(seller, "R12")).map((a) => [a.orderId, a.reasonCode])).toEqual([["F3", "paid-as-sale"]]);
  });
});
