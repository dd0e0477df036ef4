// R03 inbound-shortage over small ledgers with a pinned clock: a closed shipment short five units (its
// value, basis, confidence reasons, evidence, window marked verify), a whole lost case, and the
// look-alikes: overage on a sibling FNSKU, units received under another shipment, a shortage fixed by
// later receipts, a Lost_Inbound reimbursement, a shipment still receiving, one closed too recently.
import { beforeAll, describe, expect, it } from "vitest";
import { runDetection } from "@/lib/detection/run-detection";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");

describe("R03 inbound-shortage", () => {
  let seller: string;

  beforeAll(async () => {
    seller = await newSeller();
    const l = ledgerFor(seller);
    const receipt = (shipmentId: string, fnsku: string, asin: string, date: string, quantity: number, fc = "PHX7") =>
      ({ date, fnsku, asin, msku: `SKU-${fnsku}`, eventType: "Receipts", referenceId: shipmentId, quantity, fulfillmentCenter: fc }) as const;
    await l.unitCost("SKU-X1A", 500);
    // Short five, closed two months ago.
    await l.inboundShipment({ shipmentId: "FBA1", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA1", sku: "SKU-X1A", fnsku: "X1A", shipped: 100, received: 95 });
    await l.inboundItem({ shipmentId: "FBA1", sku: "SKU-X1B", fnsku: "X1B", shipped: 50, received: 50 });
    // Sibling FNSKU of the same ASIN received over.
    await l.inboundShipment({ shipmentId: "FBA2", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA2", sku: "SKU-X2A", fnsku: "X2A", shipped: 20, received: 18 });
    await l.inboundItem({ shipmentId: "FBA2", sku: "SKU-X2B", fnsku: "X2B", shipped: 10, received: 12 });
    // The inbound API lags, the ledger shows every unit received.
    await l.inboundShipment({ shipmentId: "FBA3", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA3", sku: "SKU-X3A", fnsku: "X3A", shipped: 40, received: 36 });
    // Reimbursed by Amazon.
    await l.inboundShipment({ shipmentId: "FBA4", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA4", sku: "SKU-X4A", fnsku: "X4A", shipped: 30, received: 27 });
    await l.reimbursement({ reimbursementId: "IN-1", approvalDate: "2026-09-15", reason: "Lost_Inbound", fnsku: "X4A", sku: "SKU-X4A", cash: 3, amountPerUnit: 700 });
    // Still receiving.
    await l.inboundShipment({ shipmentId: "FBA5", status: "RECEIVING" });
    await l.inboundItem({ shipmentId: "FBA5", sku: "SKU-X5A", fnsku: "X5A", shipped: 10, received: 4 });
    // Closed, last receipt 16 days ago.
    await l.inboundShipment({ shipmentId: "FBA6", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA6", sku: "SKU-X6A", fnsku: "X6A", shipped: 10, received: 8 });
    // A whole case of 12 missing.
    await l.inboundShipment({ shipmentId: "FBA7", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA7", sku: "SKU-X7A", fnsku: "X7A", shipped: 48, received: 36, inCase: 12 });
    // Five short here, received under FBA9 at the same FC two days later.
    await l.inboundShipment({ shipmentId: "FBA8", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA8", sku: "SKU-X8A", fnsku: "X8A", shipped: 20, received: 15 });
    await l.inboundShipment({ shipmentId: "FBA9", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA9", sku: "SKU-X8A", fnsku: "X8A", shipped: 10, received: 15 });
    await l.detail(
      receipt("FBA1", "X1A", "B1A", "2026-09-01", 95),
      receipt("FBA1", "X1B", "B1B", "2026-09-01", 50),
      receipt("FBA2", "X2A", "B2", "2026-09-05", 18),
      receipt("FBA2", "X2B", "B2", "2026-09-05", 12),
      receipt("FBA3", "X3A", "B3", "2026-09-10", 30),
      receipt("FBA3", "X3A", "B3", "2026-09-20", 10),
      receipt("FBA4", "X4A", "B4", "2026-08-01", 27),
      receipt("FBA5", "X5A", "B5", "2026-10-30", 4),
      receipt("FBA6", "X6A", "B6", "2026-10-20", 8),
      receipt("FBA7", "X7A", "B7", "2026-08-15", 36),
      receipt("FBA8", "X8A", "B8", "2026-09-01", 15),
      receipt("FBA9", "X8A", "B8", "2026-09-03", 15),
    );
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R03"] });
  });

  it("finds the shortage of a closed shipment, valued at the seller's cost, its window marked verify", async () => {
    const found = await detectionsOf(seller, "R03");
    expect(found.map((d) => d.fingerprint)).toEqual(["FBA1:X1A", "FBA7:X7A"]);
    const a = found[0]!;
    expect(a).toMatchObject({ ruleSlug: "inbound-shortage", shipmentId: "FBA1", sku: "SKU-X1A", units: 5, estimatedValueMinor: 2500n, valueBasis: "seller-cost", claimFamily: "inbound-shortage", windowVerify: true, windowPolicyId: "default-inbound-shortage" });
    expect(a.anchorDate.toISOString().slice(0, 10)).toBe("2026-09-01");
    expect(a.deadline!.toISOString().slice(0, 10)).toBe("2027-05-29");
    expect((a.confidenceReasons as { code: string }[]).map((r) => r.code)).toEqual(["base", "no-proof-uploaded"]);
    expect(a.confidence).toBeCloseTo(0.48, 3);
    const evidence = a.evidence as { rows: { table: string; role: string }[]; facts: Record<string, unknown>; window: { verify: boolean; note: string } };
    expect(evidence.rows.map((r) => r.role)).toEqual(["shipment-line", "shipment", "receipt"]);
    expect(evidence.facts).toMatchObject({ shipped: 100, receivedInboundApi: 95, receivedLedger: 95, short: 5, open: 5 });
    expect(evidence.window.note).toContain("9 months");
    expect(a.summary).toBe("5 units of SKU-X1A (X1A) missing from shipment FBA1: shipped 100, received 95 at PHX7");
  });

  it("raises confidence for a whole missing case", async () => {
    const c = (await detectionsOf(seller, "R03")).find((d) => d.shipmentId === "FBA7")!;
    expect(c.units).toBe(12);
    expect((c.confidenceReasons as { code: string }[]).map((r) => r.code)).toContain("whole-case");
    expect(c.confidence).toBeCloseTo(0.8 * 1.1 * 0.6 * 0.85, 3);
  });

  it("sets aside what siblings, other shipments, the ledger, a reimbursement or timing explain", async () => {
    const asides = await setAsidesOf(seller, "R03");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["FBA2:X2A", "found-sibling"],
      ["FBA3:X3A", "received-per-ledger"],
      ["FBA4:X4A", "reimbursed"],
      ["FBA5:X5A", "not-closed"],
      ["FBA6:X6A", "too-early"],
      ["FBA8:X8A", "received-elsewhere"],
    ]);
    const by = (f: string) => asides.find((a) => a.fingerprint === f)!;
    expect(by("FBA2:X2A").reason).toContain("sibling FNSKU X2B");
    expect(by("FBA4:X4A")).toMatchObject({ reimbursementId: "IN-1" });
    expect(by("FBA6:X6A").recheckAt!.toISOString().slice(0, 10)).toBe("2026-11-19");
    expect(by("FBA8:X8A").reason).toContain("shipment FBA9");
  });
});

describe("R03 with Lost_Inbound payouts months apart", () => {
  it("spends a payout on a shortage Amazon's reconciliation could pay (received up to 60 days before), not on the oldest open one", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    const receipt = (shipmentId: string, date: string, quantity: number) =>
      ({ date, fnsku: "X10A", asin: "B10", msku: "SKU-X10A", eventType: "Receipts", referenceId: shipmentId, quantity }) as const;
    // March: one unit short, never paid. July: one unit short, paid 24 days after the receipt.
    await l.inboundShipment({ shipmentId: "FBA10", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA10", sku: "SKU-X10A", fnsku: "X10A", shipped: 6, received: 5 });
    await l.inboundShipment({ shipmentId: "FBA11", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA11", sku: "SKU-X10A", fnsku: "X10A", shipped: 24, received: 23 });
    // September: three short, one paid within days of the receipt, two still open.
    await l.inboundShipment({ shipmentId: "FBA12", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBA12", sku: "SKU-X10A", fnsku: "X10A", shipped: 30, received: 27 });
    await l.detail(receipt("FBA10", "2026-03-01", 5), receipt("FBA11", "2026-07-01", 23), receipt("FBA12", "2026-09-10", 27));
    await l.reimbursement({ reimbursementId: "IN-10", approvalDate: "2026-07-25", reason: "Lost_Inbound", fnsku: "X10A", sku: "SKU-X10A", cash: 1, amountPerUnit: 700 });
    await l.reimbursement({ reimbursementId: "IN-11", approvalDate: "2026-09-04", reason: "Lost_Inbound", fnsku: "X10A", sku: "SKU-X10A", cash: 1, amountPerUnit: 700 });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R03"] });
    const found = await detectionsOf(seller, "R03");
    expect(found.map((d) => [d.fingerprint, d.units])).toEqual([
      ["FBA10:X10A", 1],
      ["FBA12:X10A", 2],
    ]);
    const asides = await setAsidesOf(seller, "R03");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode, a.reimbursementId])).toEqual([["FBA11:X10A", "reimbursed", "IN-10"]]);
    expect((found[1]!.evidence as { facts: { reimbursed: number } }).facts.reimbursed).toBe(1);
  });
});

describe("R03 and the seller's uploaded proof", () => {
  it("drops the no-proof factor once proof of delivery is uploaded for the shipment, and is x0.8 with only an invoice", async () => {
    const { db } = await import("@/lib/db");
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.unitCost("SKU-P1", 500);
    await l.inboundShipment({ shipmentId: "FBP1", status: "CLOSED" });
    await l.inboundItem({ shipmentId: "FBP1", sku: "SKU-P1", fnsku: "P1", shipped: 100, received: 95 });
    await l.detail({ date: "2026-09-01", fnsku: "P1", asin: "BP1", msku: "SKU-P1", eventType: "Receipts", referenceId: "FBP1", quantity: 95, fulfillmentCenter: "PHX7" });
    // Reimbursements are synced (R03 runs only then): one, for another product.
    await l.reimbursement({ reimbursementId: "OTHER-1", approvalDate: "2026-09-15", reason: "Lost_Warehouse", fnsku: "Q9", sku: "SKU-Q9", cash: 1, amountPerUnit: 100 });
    const codes = async () => {
      await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R03"] });
      const [d] = await detectionsOf(seller, "R03");
      return { codes: (d!.confidenceReasons as { code: string }[]).map((r) => r.code), confidence: d!.confidence, facts: (d!.evidence as { facts: { documentsUploaded: string[] } }).facts };
    };
    const document = (kind: string, ids: { sku?: string; shipmentId?: string }) =>
      db.sellerDocument.create({ data: { sellerConnectionId: seller, kind, ...ids, fileName: `${kind}.pdf`, contentType: "application/pdf", sizeBytes: 10, sha256: "0".repeat(64), storage: "local", storageKey: `${seller}/${kind}` } });

    expect((await codes()).codes).toEqual(["base", "no-proof-uploaded"]);
    // An invoice of another SKU, or proof of another shipment, is not this claim's proof.
    await document("invoice", { sku: "SKU-OTHER" });
    await document("proof-of-delivery", { shipmentId: "FBP9" });
    expect((await codes()).codes).toEqual(["base", "no-proof-uploaded"]);

    await document("invoice", { sku: "SKU-P1" });
    const invoiced = await codes();
    expect(invoiced.codes).toEqual(["base", "no-proof-of-delivery"]);
    expect(invoiced.confidence).toBeCloseTo(0.8 * 0.8, 3);
    expect(invoiced.facts.documentsUploaded).toEqual(["invoice"]);

    await document("proof-of-delivery", { shipmentId: "FBP1" });
    const proven = await codes();
    expect(proven.codes).toEqual(["base"]);
    expect(proven.confidence).toBeCloseTo(0.8, 3);
    expect(proven.facts.documentsUploaded).toEqual(["invoice", "proof-of-delivery"]);
  });
});
