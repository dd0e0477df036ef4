// R14 removal-lost-or-short and R15 disposal-unauthorized over small ledgers with a pinned clock:
// removal units unaccounted for or marked shipped with no shipment (one waiting for its window to open),
// disposals no disposal order covers, and the look-alikes (fully shipped, reimbursed, disposed under the
// seller's own order).
import { describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");

describe("R14 removal-lost-or-short", () => {
  it("finds unaccounted and unshipped removal units, waiting until the window opens, and sets aside what Amazon paid", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.unitCost("SKU-14A", 900);
    await l.removalOrder({ orderId: "RO1", fnsku: "X14A", sku: "SKU-14A", orderType: "Return", orderStatus: "Completed", requestDate: "2026-09-20", lastUpdatedDate: "2026-10-01", requested: 10, shipped: 6, cancelled: 1 });
    await l.removalShipment({ orderId: "RO1", fnsku: "X14A", sku: "SKU-14A", shipmentDate: "2026-09-28", shipped: 6 });
    await l.removalOrder({ orderId: "RO2", fnsku: "X14B", sku: "SKU-14B", orderType: "Return", orderStatus: "Completed", requestDate: "2026-10-20", lastUpdatedDate: "2026-10-25", requested: 5, shipped: 5 });
    await l.removalShipment({ orderId: "RO2", fnsku: "X14B", sku: "SKU-14B", shipmentDate: "2026-10-24", shipped: 3 });
    await l.removalOrder({ orderId: "RO3", fnsku: "X14C", sku: "SKU-14C", orderType: "Return", orderStatus: "Completed", requestDate: "2026-09-01", lastUpdatedDate: "2026-09-10", requested: 4, shipped: 4 });
    await l.removalShipment({ orderId: "RO3", fnsku: "X14C", sku: "SKU-14C", shipmentDate: "2026-09-05", shipped: 4 });
    await l.removalOrder({ orderId: "RO4", fnsku: "X14D", sku: "SKU-14D", orderType: "Return", orderStatus: "Completed", requestDate: "2026-09-01", lastUpdatedDate: "2026-09-10", requested: 2 });
    await l.reimbursement({ reimbursementId: "RM-4", approvalDate: "2026-10-01", reason: "Removal_Lost", amazonOrderId: "RO4", fnsku: "X14D", sku: "SKU-14D", cash: 2, amountPerUnit: 800 });
    // A disposal order is not a return: not R14's.
    await l.removalOrder({ orderId: "RO5", fnsku: "X14E", orderType: "Disposal", orderStatus: "Completed", requestDate: "2026-09-01", lastUpdatedDate: "2026-09-10", requested: 3 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R14"] });
    const found = await detectionsOf(seller, "R14");
    expect(found.map((d) => d.fingerprint)).toEqual(["RO1:X14A:unaccounted:SELLABLE", "RO2:X14B:not-in-shipments"]);
    const [a, b] = found as [(typeof found)[0], (typeof found)[0]];
    expect(a).toMatchObject({ removalOrderId: "RO1", units: 3, estimatedValueMinor: 2700n, valueBasis: "seller-cost", confidence: 0.8, claimFamily: "removal-lost" });
    expect(a.anchorDate.toISOString().slice(0, 10)).toBe("2026-09-28");
    expect([a.opensAt, a.deadline].map((d) => d!.toISOString().slice(0, 10))).toEqual(["2026-10-13", "2026-12-12"]);
    expect(derivedStatus(a.status, a.opensAt, a.deadline, NOW)).toBe("pending");
    expect((a.evidence as { facts: { arithmetic: string } }).facts.arithmetic).toContain("requested 10 - cancelled 1 - disposed 0 - shipped 6 - in process 0 = 3");
    expect(b).toMatchObject({ units: 2 });
    expect(b.opensAt.toISOString().slice(0, 10)).toBe("2026-11-08");
    expect(derivedStatus(b.status, b.opensAt, b.deadline, NOW)).toBe("waiting");
    const asides = await setAsidesOf(seller, "R14");
    expect(asides.map((s) => [s.removalOrderId, s.reasonCode, s.reimbursementId])).toEqual([["RO4", "reimbursed", "RM-4"]]);
  });
});

describe("R15 disposal-unauthorized", () => {
  it("finds disposals no disposal order covers, lower for unsellable units, and sets aside the authorised ones", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.unitCost("SKU-15A", 700);
    await l.detail(
      { date: "2026-10-01", fnsku: "X15A", asin: "B15A", msku: "SKU-15A", reason: "D", quantity: -3, referenceId: "D-A" },
      { date: "2026-10-01", fnsku: "X15B", asin: "B15B", msku: "SKU-15B", reason: "D", quantity: -2, referenceId: "D-B" },
      { date: "2026-10-01", fnsku: "X15C", asin: "B15C", msku: "SKU-15C", reason: "D", quantity: -1, referenceId: "D-C", disposition: "CUSTOMER_DAMAGED" },
      { date: "2026-10-01", fnsku: "X15D", asin: "B15D", msku: "SKU-15D", reason: "D", quantity: -1, referenceId: "D-D" },
      { date: "2026-11-04", fnsku: "X15E", asin: "B15E", msku: "SKU-15E", reason: "D", quantity: -1, referenceId: "D-E" },
    );
    await l.removalOrder({ orderId: "DO-B", fnsku: "X15B", orderType: "Disposal", orderStatus: "Completed", requestDate: "2026-09-25", requested: 2, disposed: 2 });
    // Requested after the disposal: it cannot have authorised it.
    await l.removalOrder({ orderId: "DO-D", fnsku: "X15D", orderType: "Disposal", orderStatus: "Completed", requestDate: "2026-10-10", requested: 1, disposed: 1 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R15"] });
    const found = await detectionsOf(seller, "R15");
    expect(found.map((d) => d.fnsku)).toEqual(["X15A", "X15C", "X15D"]);
    expect(found[0]).toMatchObject({ units: 3, estimatedValueMinor: 2100n, valueBasis: "seller-cost", confidence: 0.7, claimFamily: "fc-lost" });
    expect(found[0]!.deadline!.toISOString().slice(0, 10)).toBe("2026-11-30");
    expect(found[1]!.confidence).toBeCloseTo(0.5 * 0.85, 3);
    expect((found[1]!.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base", "automated-setting", "fallback-value"]);
    const asides = await setAsidesOf(seller, "R15");
    expect(asides.map((s) => [s.fnsku, s.reasonCode])).toEqual([
      ["X15B", "authorized"],
      ["X15E", "too-early"],
    ]);
    expect(asides[0]!.reason).toBe("Disposed under your removal order DO-B");
  });
});
