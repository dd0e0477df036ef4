// The evidence of a claim (lib/detection/evidence/, app/api/detections/[id]/evidence, case-text,
// documents, app/api/detections/evidence-pack) over findings the real rules made from small ledgers
// (R01 lost in an FC, R03 inbound shortage, R05 customer return damaged by the carrier, R14 removal
// units unaccounted / not in the shipments) with the clock pinned: the CSV carries the exact stored
// evidence rows, the rule's title, explanation and arithmetic, neutralises formula cells; the case text
// names each family's identifiers and the documents missing; the ZIP holds every open claim (not the
// expired, waiting, dismissed or another user's) with its CSV, case text, cited documents and index.
import { parse } from "csv-parse/sync";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { runDetection } from "@/lib/detection/run-detection";
import { CSV_HEADER } from "@/lib/detection/evidence/csv";
import { ruleById } from "@/lib/detection/rules/index";
import { uploadDocument } from "@/lib/documents/documents";
import { LocalDocumentStore } from "@/lib/documents/store";
import { ledgerFor, newSeller } from "../detection/ledger";

vi.hoisted(() => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  const { join } = require("node:path") as typeof import("node:path");
  process.env.DOCUMENTS_DIR = mkdtempSync(join(tmpdir(), "evidence-docs-"));
  process.env.DOCUMENTS_STORE = "local";
});

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const evidenceRoute = await import("@/app/api/detections/[id]/evidence/route");
const caseTextRoute = await import("@/app/api/detections/[id]/case-text/route");
const claimDocumentsRoute = await import("@/app/api/detections/[id]/documents/route");
const packRoute = await import("@/app/api/detections/evidence-pack/route");

const NOW = new Date("2026-11-05T12:00:00.000Z");
const params = (id: string) => ({ params: Promise.resolve({ id }) });

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n", "latin1");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

let userA: string;
let sellerA: string;
let sellerB: string;
type ClaimName =
  | "lost" | "expired" | "dismissed" | "formula" | "inbound" | "inboundBare" | "returnDamaged"
  | "removalUnaccounted" | "removalNotShipped" | "removalWaiting" | "other";
const ids = {} as Record<ClaimName, string>;
const docIds = {} as Record<"pod" | "invoice" | "skuProof" | "otherInvoice" | "otherPod", string>;

async function detectionId(sellerConnectionId: string, ruleId: string, fingerprint: string): Promise<string> {
  const d = await db.detection.findUnique({ where: { sellerConnectionId_ruleId_fingerprint: { sellerConnectionId, ruleId, fingerprint } } });
  if (!d) {
    const found = await db.detection.findMany({ where: { sellerConnectionId }, select: { ruleId: true, fingerprint: true } });
    throw new Error(`No ${ruleId} ${fingerprint}; found ${JSON.stringify(found)}`);
  }
  return d.id;
}

beforeAll(async () => {
  sellerA = await newSeller();
  userA = (await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerA } })).userId;
  const l = ledgerFor(sellerA);
  await l.unitCost("SKU-A", 800, true);
  await l.unitCost("SKU-X1A", 500);
  await l.detail(
    // R01: three units lost, open; one expired; one the seller dismisses; one whose SKU and reference are formulas.
    { date: "2026-10-01", fnsku: "X0A", asin: "B0A", msku: "SKU-A", reason: "M", quantity: -3, referenceId: "ADJ-A", unreconciledQuantity: 3, reconciledQuantity: 0 },
    { date: "2026-06-01", fnsku: "X0G", asin: "B0G", msku: "SKU-G", reason: "M", quantity: -2, referenceId: "ADJ-G" },
    { date: "2026-10-01", fnsku: "X0K", asin: "B0K", msku: "SKU-K", reason: "M", quantity: -1, referenceId: "ADJ-K" },
    { date: "2026-10-02", fnsku: "X0Z", asin: "B0Z", msku: '=HYPERLINK("http://evil.example","x")', reason: "M", quantity: -1, referenceId: "+SUM(A1:A9)" },
    // R03 receipts.
    { date: "2026-09-01", fnsku: "X1A", asin: "B1A", msku: "SKU-X1A", eventType: "Receipts", referenceId: "FBA1", quantity: 95 },
    { date: "2026-08-15", fnsku: "X7A", asin: "B7", msku: "SKU-X7A", eventType: "Receipts", referenceId: "FBA7", quantity: 36 },
  );
  // R03: FBA1 short 5 (documents uploaded), FBA7 a whole case of 12 short (none).
  await l.inboundShipment({ shipmentId: "FBA1", status: "CLOSED" });
  await l.inboundItem({ shipmentId: "FBA1", sku: "SKU-X1A", fnsku: "X1A", shipped: 100, received: 95 });
  await l.inboundShipment({ shipmentId: "FBA7", status: "CLOSED" });
  await l.inboundItem({ shipmentId: "FBA7", sku: "SKU-X7A", fnsku: "X7A", shipped: 48, received: 36, inCase: 12 });
  // R05: a return the carrier damaged.
  await l.customerReturn({ returnDate: "2026-08-20", orderId: "111-0000001-0000001", sku: "SKU-R", fnsku: "XR", disposition: "CARRIER_DAMAGED", lpn: "LPN7", reason: "DAMAGED_BY_CARRIER" });
  // R14: RO1 three units unaccounted; RO6 two shipped units with no shipment; RO2 the same, too recent (waiting).
  await l.removalOrder({ orderId: "RO1", fnsku: "X14A", sku: "SKU-14A", orderType: "Return", orderStatus: "Completed", requestDate: "2026-09-20", lastUpdatedDate: "2026-10-01", requested: 10, shipped: 6, cancelled: 1 });
  await l.removalShipment({ orderId: "RO1", fnsku: "X14A", sku: "SKU-14A", shipmentDate: "2026-09-28", shipped: 6 });
  await l.removalOrder({ orderId: "RO6", fnsku: "X14F", sku: "SKU-14F", orderType: "Return", orderStatus: "Completed", requestDate: "2026-09-15", lastUpdatedDate: "2026-09-25", requested: 5, shipped: 5 });
  await l.removalShipment({ orderId: "RO6", fnsku: "X14F", sku: "SKU-14F", shipmentDate: "2026-09-20", shipped: 3, tracking: "1Z999" });
  await l.removalOrder({ orderId: "RO2", fnsku: "X14B", sku: "SKU-14B", orderType: "Return", orderStatus: "Completed", requestDate: "2026-10-20", lastUpdatedDate: "2026-10-25", requested: 5, shipped: 5 });
  await l.removalShipment({ orderId: "RO2", fnsku: "X14B", sku: "SKU-14B", shipmentDate: "2026-10-24", shipped: 3 });
  await l.sourcePulled("ledger-detail", "reimbursements", "inbound-shipments", "customer-returns", "removal-orders", "removal-shipments");
  await runDetection({ sellerConnectionId: sellerA, now: NOW, ruleIds: ["R01", "R03", "R05", "R14"] });

  ids.lost = await detectionId(sellerA, "R01", "X0A:ADJ-A:2026-10-01");
  ids.expired = await detectionId(sellerA, "R01", "X0G:ADJ-G:2026-06-01");
  ids.dismissed = await detectionId(sellerA, "R01", "X0K:ADJ-K:2026-10-01");
  ids.formula = await detectionId(sellerA, "R01", "X0Z:+SUM(A1:A9):2026-10-02");
  ids.inbound = await detectionId(sellerA, "R03", "FBA1:X1A");
  ids.inboundBare = await detectionId(sellerA, "R03", "FBA7:X7A");
  ids.returnDamaged = await detectionId(sellerA, "R05", "111-0000001-0000001:LPN7");
  ids.removalUnaccounted = await detectionId(sellerA, "R14", "RO1:X14A:unaccounted:SELLABLE");
  ids.removalNotShipped = await detectionId(sellerA, "R14", "RO6:X14F:not-in-shipments");
  ids.removalWaiting = await detectionId(sellerA, "R14", "RO2:X14B:not-in-shipments");
  await db.detection.update({ where: { id: ids.dismissed }, data: { status: "dismissed", statusSetBy: "seller" } });

  // The seller's documents: FBA1's proof of delivery and SKU-X1A's invoice; a per-SKU "proof" for SKU-X7A (proves no delivery).
  const store = new LocalDocumentStore(process.env.DOCUMENTS_DIR!);
  const doc = (kind: "invoice" | "proof-of-delivery", bytes: Buffer, fileName: string, keys: { sku?: string; shipmentId?: string }) =>
    uploadDocument({ sellerConnectionId: sellerA, kind, sku: keys.sku ?? null, shipmentId: keys.shipmentId ?? null, removalOrderId: null, note: null, fileName, bytes }, store);
  docIds.pod = (await doc("proof-of-delivery", PNG, "FBA1 POD.png", { shipmentId: "FBA1" })).id;
  docIds.invoice = (await doc("invoice", PDF, "invoice X1A.pdf", { sku: "SKU-X1A" })).id;
  docIds.skuProof = (await doc("proof-of-delivery", PDF, "=cmd.pdf", { sku: "SKU-X7A" })).id;
  // SKU-X7A's invoice, uploaded with another shipment: it still proves the SKU's cost for FBA7.
  docIds.otherInvoice = (await doc("invoice", PDF, "x7a invoice.pdf", { sku: "SKU-X7A", shipmentId: "FBA99" })).id;
  // FBA99's proof of delivery, for SKU-X7A too: it proves nothing about FBA7 and is not cited there.
  docIds.otherPod = (await doc("proof-of-delivery", PNG, "fba99.png", { sku: "SKU-X7A", shipmentId: "FBA99" })).id;

  // Another user's seller, with a finding and a document of its own.
  sellerB = await newSeller();
  await ledgerFor(sellerB).sourcePulled("ledger-detail", "reimbursements");
  await ledgerFor(sellerB).detail({ date: "2026-10-01", fnsku: "X0A", asin: "B0A", msku: "SKU-A", reason: "M", quantity: -3, referenceId: "ADJ-B", unreconciledQuantity: 3 });
  await runDetection({ sellerConnectionId: sellerB, now: NOW, ruleIds: ["R01"] });
  ids.other = await detectionId(sellerB, "R01", "X0A:ADJ-B:2026-10-01");
  await uploadDocument({ sellerConnectionId: sellerB, kind: "invoice", sku: "SKU-A", shipmentId: null, removalOrderId: null, note: null, fileName: "b.pdf", bytes: PDF }, store);

  vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
  session.userId = userA;
});

afterAll(() => {
  vi.useRealTimers();
});

async function csvOf(id: string): Promise<{ response: Response; text: string; lines: Record<string, string>[] }> {
  const response = await evidenceRoute.GET(new Request(`http://localhost/api/detections/${id}/evidence`), params(id));
  const text = await response.text();
  return { response, text, lines: response.status === 200 ? (parse(text, { columns: true, bom: true }) as Record<string, string>[]) : [] };
}

async function caseTextOf(id: string): Promise<string> {
  const response = await caseTextRoute.GET(new Request(`http://localhost/api/detections/${id}/case-text`), params(id));
  expect(response.status).toBe(200);
  return ((await response.json()) as { caseText: string }).caseText;
}

const claimValue = (lines: Record<string, string>[], name: string) => lines.find((l) => l.section === "claim" && l.name === name)?.value;

describe("GET /api/detections/:id/evidence", () => {
  it("is a CSV attachment with the exact stored evidence rows, the rule's title and explanation, the arithmetic and the case text", async () => {
    const { response, text, lines } = await csvOf(ids.lost);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="claim-R01-${ids.lost}.csv"`);
    // UTF-8 with a byte-order mark (which text() drops) for Excel, then the fixed header.
    const raw = Buffer.from(await (await evidenceRoute.GET(new Request("http://localhost/x"), params(ids.lost))).arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.split(/\r?\n/)[0]).toBe(CSV_HEADER.join(","));

    const stored = await db.detection.findUniqueOrThrow({ where: { id: ids.lost } });
    const evidence = stored.evidence as { rows: Array<Record<string, unknown>>; facts: { arithmetic: string } };
    const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));
    expect(lines.filter((l) => l.section === "row").map((l) => [l.table, l.row_id, l.role, l.source_report, l.source_line, l.date, l.reference_id, l.quantity])).toEqual(
      evidence.rows.map((r) => [r.table, r.id, r.role, r.source, r.line, r.date, r.referenceId, r.quantity].map(str)),
    );
    const loss = lines.find((l) => l.section === "row" && l.role === "loss")!;
    expect(loss).toMatchObject({ table: "LedgerDetail", date: "2026-10-01", reference_id: "ADJ-A", quantity: "-3", source_report: "test" });

    const rule = ruleById("R01")!;
    expect(claimValue(lines, "title")).toBe(rule.title);
    expect(claimValue(lines, "explanation")).toBe(rule.explanation);
    expect(claimValue(lines, "sku")).toBe("SKU-A");
    expect(claimValue(lines, "fnsku")).toBe("X0A");
    expect(claimValue(lines, "units")).toBe("3");
    expect(claimValue(lines, "estimated_value")).toBe("24.00");
    expect(claimValue(lines, "value_basis")).toBe("seller-cost");
    expect(claimValue(lines, "status")).toBe("pending");
    expect(claimValue(lines, "deadline")).toBe("2026-11-30");
    expect(lines.find((l) => l.section === "arithmetic" && l.name === "rule")?.value).toBe(evidence.facts.arithmetic);
    expect(lines.find((l) => l.section === "arithmetic" && l.name === "value")?.value).toBe("3 x 8.00 = 24.00 USD");
    expect(lines.find((l) => l.section === "valuation" && l.name === "basis")?.value).toBe("seller-cost");
    expect(lines.find((l) => l.section === "window" && l.name === "deadline")?.value).toBe("2026-11-30");
    expect(lines.find((l) => l.section === "fact" && l.name === "unreconciledQuantity")?.value).toBe("3");
    expect(lines.find((l) => l.section === "case_text")?.value).toBe(await caseTextOf(ids.lost));
  });

  it("neutralises cells a spreadsheet would run as formulas; plain negative numbers stay numbers", async () => {
    const { lines, text } = await csvOf(ids.formula);
    expect(claimValue(lines, "sku")).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(claimValue(lines, "reference_id")).toBe("'+SUM(A1:A9)");
    const loss = lines.find((l) => l.section === "row" && l.role === "loss")!;
    expect(loss.reference_id).toBe("'+SUM(A1:A9)");
    expect(loss.quantity).toBe("-1");
    const cells = (parse(text, { bom: true }) as string[][]).flat();
    const dangerous = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
    expect(dangerous).toEqual([]);
    // The case text quotes the SKU as data; inside a quoted multi-line cell it starts with "Subject".
    expect(lines.find((l) => l.section === "case_text")?.value).toContain(`SKU: =HYPERLINK("http://evil.example","x")`);
  });

  it("lists the documents cited and the ones missing", async () => {
    const withDocs = (await csvOf(ids.inbound)).lines;
    expect(withDocs.filter((l) => l.section === "document").map((l) => [l.name, l.value, l.row_id])).toEqual([
      ["invoice", "invoice X1A.pdf", docIds.invoice],
      ["proof-of-delivery", "FBA1 POD.png", docIds.pod],
    ]);
    expect(withDocs.filter((l) => l.section === "document_missing")).toEqual([]);
    const bare = (await csvOf(ids.inboundBare)).lines;
    // A proof of delivery attached to the SKU only proves no delivery of this shipment: still missing.
    expect(bare.filter((l) => l.section === "document_missing").map((l) => l.name)).toEqual(["proof-of-delivery"]);
    expect(bare.filter((l) => l.section === "document").map((l) => [l.name, l.value])).toEqual([
      ["invoice", "x7a invoice.pdf"],
      ["proof-of-delivery", "'=cmd.pdf"],
    ]);
  });
});

describe("GET /api/detections/:id/case-text, per claim family", () => {
  it("lost in an FC: the ledger entry's identifiers, the offsets searched, the value and its basis", async () => {
    const text = await caseTextOf(ids.lost);
    expect(text).not.toContain("BEFORE FILING");
    expect(text).toMatch(/^Subject: Lost in an Amazon warehouse, not reimbursed \(3 units, SKU SKU-A\)\n/);
    for (const line of ["SKU: SKU-A", "FNSKU: X0A", "ASIN: B0A", "Fulfillment center: PHX7", "Inventory ledger reference ID: ADJ-A", "Date of the event: 2026-10-01", "Units: 3"]) {
      expect(text).toContain(`\n${line}\n`);
    }
    expect(text).toContain("The Inventory Ledger report shows an Adjustments entry for FNSKU X0A at PHX7 on 2026-10-01 (reference ID ADJ-A): 3 units misplaced or lost (reason code M).");
    expect(text).toContain("Its unreconciled quantity is 3.");
    expect(text).toContain("3 units remain neither found nor reimbursed.");
    expect(text).toMatch(/\n- 2026-10-01 Inventory Ledger report \(detailed view\) \(report test, line \d+\): loss, reference ID ADJ-A, quantity -3/);
    expect(text).toContain("Amount claimed: 3 units x 8.00 USD = 24.00 USD, based on our manufacturing (sourcing) cost per unit.");
    expect(text).toContain("Please investigate and reimburse the 3 units lost in your fulfillment center.");
  });

  it("inbound shortage: shipment, FC, shipped and received, the documents attached, the window to verify", async () => {
    const text = await caseTextOf(ids.inbound);
    expect(text).toContain("Shipment ID: FBA1\n");
    expect(text).toContain("SKU: SKU-X1A\n");
    expect(text).toContain("FNSKU: X1A\n");
    expect(text).toContain("We sent shipment FBA1 to");
    expect(text).toContain("with 100 units of SKU SKU-X1A (FNSKU X1A).");
    expect(text).toContain("95 units were received (the shipment's received quantity is 95; the Inventory Ledger shows 95 received for this shipment).");
    expect(text).toContain("5 units remain missing.");
    expect(text).toContain("Calculation: open = shipped 100");
    expect(text).toContain("Amount claimed: 5 units x 5.00 USD = 25.00 USD");
    expect(text).toContain("Please reconcile shipment FBA1 and reimburse the 5 units that were shipped but not received.");
    expect(text).toContain("Attached:\n- invoice X1A.pdf (invoice (supplier invoice or signed packing slip))\n- FBA1 POD.png (proof of delivery (carrier POD or bill of lading))");
    // Documents are in; only the unsettled window is left for the seller to check.
    const note = text.split("\n\n")[0]!;
    expect(note).toMatch(/^BEFORE FILING/);
    expect(note).not.toContain("Upload");
    expect(note).toContain("check the deadline");
  });

  it("inbound shortage without documents says which Amazon asks for (a per-SKU proof of delivery proves no delivery)", async () => {
    const text = await caseTextOf(ids.inboundBare);
    const note = text.split("\n\n")[0]!;
    expect(note).toContain("Amazon asks for the proof of delivery (carrier POD or bill of lading) on this kind of claim, and none is uploaded for shipment FBA7.");
    expect(note).not.toContain("invoice");
    expect(text).toContain("12 units remain missing.");
    expect(text).toContain("Attached:\n- x7a invoice.pdf (invoice (supplier invoice or signed packing slip))\n- =cmd.pdf (proof of delivery (carrier POD or bill of lading))\n");
    expect(text).not.toContain("fba99.png");
  });

  it("customer return damaged by the carrier: order id, LPN, disposition", async () => {
    const text = await caseTextOf(ids.returnDamaged);
    expect(text).toContain("Order ID: 111-0000001-0000001\n");
    expect(text).toContain("License plate number (LPN): LPN7\n");
    expect(text).toContain("with the disposition CARRIER_DAMAGED (return reason DAMAGED_BY_CARRIER): damaged by Amazon or its carrier, not by the customer.");
    expect(text).toContain("Please reimburse the 1 unit damaged while in Amazon's or its carrier's care.");
    expect(text).not.toContain("BEFORE FILING");
  });

  it("removal: units never accounted for need no delivery proof; units shipped without a shipment do", async () => {
    const unaccounted = await caseTextOf(ids.removalUnaccounted);
    expect(unaccounted).toContain("Removal order ID: RO1\n");
    expect(unaccounted).toContain("Removal order RO1 (status Completed) for FNSKU X14A: requested 10, cancelled 1, disposed 0, shipped 6, in process 0. 3 units are not accounted for");
    expect(unaccounted).toContain("Please locate or reimburse the 3 units of removal order RO1.");
    expect(unaccounted).not.toContain("BEFORE FILING");
    const notShipped = await caseTextOf(ids.removalNotShipped);
    expect(notShipped).toContain("Removal order RO6 shows 5 units of FNSKU X14F as shipped, but the removal shipment detail report lists 3 units shipped.");
    expect(notShipped).toContain("none is uploaded for removal order RO6");
    expect(notShipped).toContain("Removal shipment detail report");
    expect(notShipped).toContain("1Z999");
  });
});

describe("GET /api/detections/:id/documents", () => {
  const documentsOf = async (id: string) => {
    const response = await claimDocumentsRoute.GET(new Request(`http://localhost/api/detections/${id}/documents`), params(id));
    expect(response.status).toBe(200);
    return (await response.json()) as { required: string[]; documents: Array<{ id: string; kind: string }>; missing: string[] };
  };

  it("says which kinds the claim needs by its family, which it cites and which are missing", async () => {
    expect(await documentsOf(ids.inbound)).toMatchObject({ required: ["proof-of-delivery", "invoice"], missing: [] });
    expect((await documentsOf(ids.inbound)).documents.map((d) => d.id)).toEqual([docIds.invoice, docIds.pod]);
    const bare = await documentsOf(ids.inboundBare);
    expect(bare).toMatchObject({ required: ["proof-of-delivery", "invoice"], missing: ["proof-of-delivery"] });
    expect(bare.documents.map((d) => d.id)).toEqual([docIds.otherInvoice, docIds.skuProof]);
    expect(await documentsOf(ids.removalNotShipped)).toEqual({ required: ["proof-of-delivery"], documents: [], missing: ["proof-of-delivery"] });
    expect(await documentsOf(ids.removalUnaccounted)).toEqual({ required: [], documents: [], missing: [] });
    expect(await documentsOf(ids.lost)).toEqual({ required: [], documents: [], missing: [] });
  });
});

describe("tenancy", () => {
  it("another user's detection is a 404 on every evidence route, and their connection a 404 for the pack", async () => {
    for (const route of [evidenceRoute, caseTextRoute, claimDocumentsRoute]) {
      const response = await route.GET(new Request(`http://localhost/api/detections/${ids.other}/x`), params(ids.other));
      expect(response.status).toBe(404);
    }
    expect((await packRoute.GET(new Request(`http://localhost/api/detections/evidence-pack?sellerConnectionId=${sellerB}`))).status).toBe(404);
    expect((await evidenceRoute.GET(new Request("http://localhost/x"), params("bad id!"))).status).toBe(422);
  });
});

// --- the ZIP --------------------------------------------------------------------------------------

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

describe("GET /api/detections/evidence-pack", () => {
  it("zips every open claim's CSV and case text, the documents they cite once, and an index; nothing expired, waiting, dismissed or foreign", async () => {
    const response = await packRoute.GET(new Request("http://localhost/api/detections/evidence-pack"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="evidence-pack-2026-11-05.zip"');
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));

    const open = [ids.lost, ids.formula, ids.inbound, ids.inboundBare, ids.returnDamaged, ids.removalUnaccounted, ids.removalNotShipped];
    const index = parse(entries.get("index.csv")!.toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
    expect(index.map((r) => r.claim_id).sort()).toEqual([...open].sort());
    for (const excluded of [ids.expired, ids.dismissed, ids.removalWaiting, ids.other]) {
      expect([...entries.keys()].some((name) => name.includes(excluded))).toBe(false);
    }
    // Soonest deadline first; every folder has the claim's CSV (as the route gives it) and case text.
    const deadlines = index.map((r) => r.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
    for (const row of index) {
      const csv = entries.get(`${row.folder}/claim.csv`);
      expect(csv, row.folder).toBeDefined();
      // The route's CSV, except that a document's note names its path inside the pack.
      const inPack = (parse(csv!.toString("utf8"), { columns: true, bom: true }) as Record<string, string>[]).map((l) => (l.section === "document" ? { ...l, note: "" } : l));
      const alone = (await csvOf(row.claim_id!)).lines.map((l) => (l.section === "document" ? { ...l, note: "" } : l));
      expect(inPack).toEqual(alone);
      expect(entries.get(`${row.folder}/case-text.txt`)!.toString("utf8")).toBe(await caseTextOf(row.claim_id!));
      expect(row.folder).toMatch(new RegExp(`^claims/\\d{4}-${row.rule_id}-${row.claim_id}$`));
    }
    const inbound = index.find((r) => r.claim_id === ids.inboundBare)!;
    expect(inbound).toMatchObject({ rule_id: "R03", shipment_id: "FBA7", units: "12", documents_required: "proof-of-delivery invoice", documents_missing: "proof-of-delivery" });
    expect(index.find((r) => r.claim_id === ids.inbound)).toMatchObject({ documents_missing: "" });

    // The documents cited, once each, byte for byte; another user's not at all.
    const documents = [...entries.keys()].filter((name) => name.startsWith("documents/")).sort();
    expect(documents).toEqual(
      [`documents/${docIds.invoice}-invoice_X1A.pdf`, `documents/${docIds.pod}-FBA1_POD.png`, `documents/${docIds.skuProof}-_cmd.pdf`, `documents/${docIds.otherInvoice}-x7a_invoice.pdf`].sort(),
    );
    expect(entries.get(`documents/${docIds.pod}-FBA1_POD.png`)).toEqual(PNG);
    expect(entries.get(`documents/${docIds.invoice}-invoice_X1A.pdf`)).toEqual(PDF);
    // The claim's CSV names where its documents sit in the pack.
    const inboundCsv = parse(entries.get(`${index.find((r) => r.claim_id === ids.inbound)!.folder}/claim.csv`)!.toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
    expect(inboundCsv.filter((l) => l.section === "document").map((l) => l.note).sort()).toEqual([`documents/${docIds.invoice}-invoice_X1A.pdf`, `documents/${docIds.pod}-FBA1_POD.png`].sort());
  });

  it("writes a pack of many claims batch by batch, each folder holding its own claim", async () => {
    const sellerC = await newSeller();
    const template = await db.detection.findUniqueOrThrow({ where: { id: ids.lost } });
    const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = template;
    await db.detection.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        ...rest,
        confidenceReasons: rest.confidenceReasons as never,
        evidence: rest.evidence as never,
        sellerConnectionId: sellerC,
        fingerprint: `bulk-${i}`,
        sku: `SKU-${String(i).padStart(3, "0")}`,
        deadline: new Date(Date.UTC(2026, 10, 6 + (i % 40))),
      })),
    });
    session.userId = (await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerC } })).userId;
    const entries = await unzip(Buffer.from(await (await packRoute.GET(new Request("http://localhost/api/detections/evidence-pack"))).arrayBuffer()));
    session.userId = userA;
    const index = parse(entries.get("index.csv")!.toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
    expect(index).toHaveLength(250);
    expect(new Set(index.map((r) => r.sku)).size).toBe(250);
    const deadlines = index.map((r) => r.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
    for (const row of index) {
      const lines = parse(entries.get(`${row.folder}/claim.csv`)!.toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
      expect(claimValue(lines, "claim_id")).toBe(row.claim_id);
      expect(claimValue(lines, "sku")).toBe(row.sku);
      expect(entries.get(`${row.folder}/case-text.txt`)!.toString("utf8")).toContain(`SKU: ${row.sku}\n`);
    }
    expect(entries.size).toBe(1 + 2 * 250);
  });

  it("is an empty pack (an index with its header only) for a seller with no open claims", async () => {
    session.userId = (await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerB } })).userId;
    await db.detection.updateMany({ where: { sellerConnectionId: sellerB }, data: { status: "filed" } });
    const entries = await unzip(Buffer.from(await (await packRoute.GET(new Request("http://localhost/api/detections/evidence-pack"))).arrayBuffer()));
    expect([...entries.keys()]).toEqual(["index.csv"]);
    expect(entries.get("index.csv")!.toString("utf8").trim().split("\n")).toHaveLength(1);
    session.userId = userA;
  });
});
