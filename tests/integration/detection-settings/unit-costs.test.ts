// The unit-cost routes: PUT's exact money (minor units by the currency's exponent, no float
// rounding), its 422s; the paged list; DELETE and tenancy; the CSV import's report (line numbers and
// reasons for blank, unknown, bad, negative, over-precise and duplicate lines; header any case; BOM),
// its whole-file refusals (empty, wrong header, 413 over the size or line limit, 415), multipart; and
// on a real R01 run: a cost changes a finding's value and basis on the next run, removing it brings
// the fallback back, and /missing lists the SKU only while it is valued at a fallback.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { runDetection } from "@/lib/detection/run-detection";
import { MAX_IMPORT_ROWS } from "@/lib/detection/unit-costs/csv";
import { detectionsOf, ledgerFor, newSeller } from "../detection/ledger";
import { call, ownerOf } from "./support";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const costsRoute = await import("@/app/api/unit-costs/route");
const costRoute = await import("@/app/api/unit-costs/[id]/route");
const importRoute = await import("@/app/api/unit-costs/import/route");
const missingRoute = await import("@/app/api/unit-costs/missing/route");

const NOW = new Date("2026-11-05T12:00:00.000Z");

afterEach(() => {
  session.userId = null;
  vi.useRealTimers();
});

/** A signed-in seller whose ledger knows these SKUs (one loss row each). */
async function sellerWithSkus(...skus: string[]): Promise<string> {
  const seller = await newSeller();
  const l = ledgerFor(seller);
  for (const [i, sku] of skus.entries()) await l.detail({ date: "2026-10-01", fnsku: `X${i}`, msku: sku, reason: "M", quantity: -1, referenceId: `ADJ-${i}` });
  session.userId = await ownerOf(seller);
  return seller;
}

const put = (body: unknown) => call(costsRoute.PUT, "/api/unit-costs", { method: "PUT", body });
const importCsv = (csv: string, contentType = "text/csv") => call(importRoute.POST, "/api/unit-costs/import", { method: "POST", raw: csv, contentType });

describe("PUT, GET and DELETE /api/unit-costs", () => {
  it("stores exact minor units by the currency's exponent and answers the item", async () => {
    const seller = await sellerWithSkus("SKU-A", "SKU-J", "SKU-K");
    const a = await put({ sku: "SKU-A", unitCost: 12.34, currency: "usd" });
    expect(a.status).toBe(200);
    expect(a.body.item).toEqual({
      id: expect.any(String),
      sku: "SKU-A",
      unitCost: 12.34,
      unitCostMinor: 1234,
      currency: "USD",
      hasInvoice: false,
      source: "manual",
      updatedAt: expect.stringMatching(/^\d{4}-/),
      sellerConnectionId: seller,
    });
    expect((await put({ sku: "SKU-J", unitCost: "1500", currency: "JPY", hasInvoice: true })).body.item).toMatchObject({ unitCost: 1500, unitCostMinor: 1500, currency: "JPY", hasInvoice: true });
    expect((await put({ sku: "SKU-K", unitCost: "1.250", currency: "KWD" })).body.item).toMatchObject({ unitCost: 1.25, unitCostMinor: 1250 });
    // 1.15 * 100 is 114.99999999999999 in floating point: read as text, it is 115.
    const replaced = await put({ sku: "SKU-A", unitCost: 1.15, currency: "USD" });
    expect(replaced.body.item).toMatchObject({ id: a.body.item.id, unitCostMinor: 115 });
    expect((await db.skuUnitCost.findUniqueOrThrow({ where: { id: a.body.item.id } })).unitCostMinor).toBe(115n);
  });

  it.each([
    [{ sku: "SKU-A", unitCost: 0.1 + 0.2, currency: "USD" }, "unitCost: USD has 2 decimals"],
    [{ sku: "SKU-A", unitCost: -1, currency: "USD" }, "unitCost: the unit cost -1 is negative"],
    [{ sku: "SKU-A", unitCost: 0, currency: "USD" }, "unitCost: the unit cost is 0"],
    [{ sku: "SKU-A", unitCost: "12,34", currency: "USD" }, "unitCost"],
    [{ sku: "SKU-A", unitCost: "1.5", currency: "JPY" }, "unitCost: JPY has no decimals"],
    [{ sku: "SKU-A", unitCost: 5, currency: "ABC" }, "currency"],
    [{ sku: "SKU-A", unitCost: 5, currency: "US" }, "currency"],
    [{ sku: "", unitCost: 5, currency: "USD" }, "sku"],
    [{ sku: "SKU-UNKNOWN", unitCost: 5, currency: "USD" }, "sku: SKU-UNKNOWN is in none of your synced Amazon data"],
    [{ sku: "SKU-A", unitCost: 5 }, "currency"],
    [{ sku: "SKU-A", unitCost: 5, currency: "USD", note: "x" }, "note"],
  ])("answers %j with a 422 naming %s, storing nothing", async (body, message) => {
    const seller = await sellerWithSkus("SKU-A");
    const answer = await put(body);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("unprocessable_entity");
    expect(answer.body.error.message).toContain(message);
    expect(await db.skuUnitCost.count({ where: { sellerConnectionId: seller } })).toBe(0);
  });

  it("lists page by page with the total and a SKU filter; deletes; another user's cost is a 404", async () => {
    const seller = await sellerWithSkus("SKU-1", "SKU-2", "SKU-3", "OTHER");
    for (const sku of ["SKU-1", "SKU-2", "SKU-3", "OTHER"]) expect((await put({ sku, unitCost: 2, currency: "USD" })).status).toBe(200);
    const page = await call(costsRoute.GET, "/api/unit-costs?limit=2&offset=1");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.body.items.map((i: { sku: string }) => i.sku)).toEqual(["SKU-1", "SKU-2"]);
    const filtered = await call(costsRoute.GET, "/api/unit-costs?sku=sku-");
    expect(filtered.body.items.map((i: { sku: string }) => i.sku)).toEqual(["SKU-1", "SKU-2", "SKU-3"]);
    expect((await call(costsRoute.GET, "/api/unit-costs?limit=0")).status).toBe(422);

    const target = filtered.body.items[0].id as string;
    const intruder = await sellerWithSkus("SKU-1");
    expect((await call(costRoute.DELETE, `/api/unit-costs/${target}`, { method: "DELETE", params: { id: target } })).status).toBe(404);
    expect((await call(costsRoute.GET, "/api/unit-costs")).body).toMatchObject({ items: [], total: 0 });
    expect((await call(costsRoute.GET, `/api/unit-costs?sellerConnectionId=${seller}`)).status).toBe(404);
    expect(intruder).not.toBe(seller);

    session.userId = await ownerOf(seller);
    const deleted = await call(costRoute.DELETE, `/api/unit-costs/${target}`, { method: "DELETE", params: { id: target } });
    expect(deleted.status).toBe(204);
    expect(await db.skuUnitCost.findUnique({ where: { id: target } })).toBeNull();
    expect((await db.auditLog.findMany({ where: { sellerConnectionId: seller, action: "unit_cost.deleted" } })).map((a) => a.details)).toEqual([{ sku: "SKU-1" }]);
  });
});

describe("POST /api/unit-costs/import", () => {
  it("stores the valid lines and reports each rejected one with its line number and reason", async () => {
    const seller = await sellerWithSkus("SKU-A", "SKU-B", "SKU-C", "SKU-D", "SKU-E", "SKU-F", "SKU-G", "SKU-H", "SKU-I");
    expect((await put({ sku: "SKU-A", unitCost: 1, currency: "USD" })).status).toBe(200);
    const csv = [
      "\ufeffSKU,Unit Cost,CURRENCY,has_invoice", // 1: BOM, any case
      "SKU-A,8.00,USD,yes", // 2: updated
      "SKU-B,5,usd,", // 3: new
      ",3.00,USD,", // 4: blank SKU
      "SKU-NOPE,3.00,USD,", // 5: unknown SKU
      "SKU-C,abc,USD,", // 6: not a number
      "SKU-D,-4.00,USD,", // 7: negative
      "SKU-E,4.00,ABC,", // 8: not a currency
      "SKU-F,1.00,USD,", // 9: duplicate
      "SKU-F,2.00,USD,", // 10: duplicate
      "SKU-G,1.999,USD,", // 11: too many decimals
      '"SKU-H","1,50",EUR,', // 12: decimal comma
      "", // 13: blank line, skipped
      "SKU-I,2,JPY,maybe", // 14: bad flag
      "SKU-I,2", // 15: short line
      '"SKU-I,2,JPY,no', // 16: unclosed quote
    ].join("\r\n");
    const answer = await importCsv(csv);
    expect(answer.status).toBe(200);
    expect(answer.body.imported).toBe(1);
    expect(answer.body.updated).toBe(1);
    expect(answer.body.rejected.map((r: { line: number; sku: string | null }) => [r.line, r.sku])).toEqual([
      [4, null],
      [5, "SKU-NOPE"],
      [6, "SKU-C"],
      [7, "SKU-D"],
      [8, "SKU-E"],
      [9, "SKU-F"],
      [10, "SKU-F"],
      [11, "SKU-G"],
      [12, "SKU-H"],
      [14, "SKU-I"],
      [15, "SKU-I"],
      [16, null],
    ]);
    const reason = (line: number) => answer.body.rejected.find((r: { line: number }) => r.line === line).reason as string;
    expect(reason(4)).toBe("the SKU cell is blank");
    expect(reason(5)).toContain("SKU-NOPE is in none of your synced Amazon data");
    expect(reason(6)).toContain('"abc" is not a number');
    expect(reason(7)).toBe("the unit cost -4.00 is negative");
    expect(reason(8)).toContain('"ABC" is not an ISO currency code');
    expect(reason(9)).toBe("SKU SKU-F is on lines 9, 10: give each SKU once (none of them was stored)");
    expect(reason(11)).toBe('USD has 2 decimals: "1.999" has more');
    expect(reason(14)).toContain("has_invoice");
    expect(reason(15)).toBe("the line has 2 cells, the header 4");
    expect(reason(16)).toContain("quoted cell is never closed");
    const stored = await db.skuUnitCost.findMany({ where: { sellerConnectionId: seller }, orderBy: { sku: "asc" } });
    expect(stored.map((c) => [c.sku, c.unitCostMinor, c.currency, c.hasInvoice, c.source])).toEqual([
      ["SKU-A", 800n, "USD", true, "csv"],
      ["SKU-B", 500n, "USD", false, "csv"],
    ]);
  });

  it("accepts a multipart upload's file field", async () => {
    const seller = await sellerWithSkus("SKU-M");
    const form = new FormData();
    form.set("file", new Blob(["sku,unit_cost,currency\nSKU-M,3.10,EUR\n"], { type: "text/csv" }), "costs.csv");
    const answer = await call(importRoute.POST, "/api/unit-costs/import", { method: "POST", raw: form });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ imported: 1, updated: 0, rejected: [] });
    expect((await db.skuUnitCost.findFirstOrThrow({ where: { sellerConnectionId: seller } })).unitCostMinor).toBe(310n);
  });

  it.each([
    ["", 422, "file: The file is empty"],
    ["\ufeff\n\n", 422, "file: The file is empty"],
    ["sku,price,currency\nSKU-A,1,USD", 422, 'Unknown column "price"'],
    ["sku,currency\nSKU-A,USD", 422, "no unit_cost column"],
    ["sku,unit_cost,currency,sku\nSKU-A,1,USD,SKU-A", 422, "appears twice"],
    ["sku,unit_cost,currency\n", 422, "no lines"],
  ])("refuses the whole file %j with %i and stores nothing", async (csv, status, message) => {
    const seller = await sellerWithSkus("SKU-A");
    const answer = await importCsv(csv);
    expect(answer.status).toBe(status);
    expect(answer.body.error.message).toContain(message);
    expect(await db.skuUnitCost.count({ where: { sellerConnectionId: seller } })).toBe(0);
  });

  it("refuses over the line limit and the size limit (413) and other media types (415)", async () => {
    const seller = await sellerWithSkus("SKU-A");
    const many = ["sku,unit_cost,currency", ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `S${i},1,USD`)].join("\n");
    const tooMany = await importCsv(many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toContain(`at most ${MAX_IMPORT_ROWS}`);
    const huge = `sku,unit_cost,currency\n${"SKU-A,1,USD,".padEnd(1024, " ")}\n`.repeat(2200);
    const tooBig = await importCsv(huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe("payload_too_large");
    expect((await importCsv("sku,unit_cost,currency\nSKU-A,1,USD", "application/json")).status).toBe(415);
    expect(await db.skuUnitCost.count({ where: { sellerConnectionId: seller } })).toBe(0);
  });
});

describe("a unit cost on the next detection run", () => {
  it("changes the finding's value and basis; removing it brings the fallback back; /missing lists the SKU while it is at a fallback", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    await l.detail({ date: "2026-10-01", fnsku: "X0M", asin: "B0M", msku: "SKU-M", reason: "M", quantity: -2, referenceId: "ADJ-M" });
    // An earlier payout for the FNSKU (before the loss, so it pays no part of it): the median fallback.
    await l.reimbursement({ reimbursementId: "R-M", approvalDate: "2026-08-01", reason: "Lost_Warehouse", fnsku: "X0M", sku: "SKU-M", amountPerUnit: 900 });
    session.userId = await ownerOf(seller);
    const run = async () => {
      await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R01"] });
      const [d] = await detectionsOf(seller, "R01");
      return [d!.valueBasis, d!.unitValueMinor, d!.estimatedValueMinor];
    };
    const missing = async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: NOW });
      const answer = await call(missingRoute.GET, "/api/unit-costs/missing");
      vi.useRealTimers();
      expect(answer.status).toBe(200);
      return answer.body.items;
    };

    expect(await run()).toEqual(["reimbursement-median", 900n, 1800n]);
    expect(await missing()).toEqual([
      { sku: "SKU-M", fnsku: "X0M", asin: "B0M", openFindings: 1, valueAtFallback: 18, valueAtFallbackMinor: 1800, currency: "USD", sellerConnectionId: seller },
    ]);

    const { body } = await put({ sku: "SKU-M", unitCost: "12.50", currency: "USD" });
    // Stored, not yet run: the finding is still at the fallback, but a cost is there, so not missing.
    expect(await missing()).toEqual([]);
    expect(await run()).toEqual(["seller-cost", 1250n, 2500n]);

    expect((await call(costRoute.DELETE, `/api/unit-costs/${body.item.id}`, { method: "DELETE", params: { id: body.item.id } })).status).toBe(204);
    expect(await run()).toEqual(["reimbursement-median", 900n, 1800n]);
    expect((await missing()).map((m: { sku: string }) => m.sku)).toEqual(["SKU-M"]);
  });
});
