// One world seen through every API: an order, a return and a settlement line must agree everywhere.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GroundTruthRecord } from "./generator/types";
import { REPORT_COLUMNS } from "./reports/report-columns";
import type { Sandbox } from "./server";
import { authorize, call, createAndWait, DAY, downloadDocument, isoBeforeEnd, start } from "./test-support/harness";

const SETTLEMENT = REPORT_COLUMNS.GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2;

describe("one consistent world", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ seed: 9, timeScale: 600, sellers: 1, reportCooldown: "off" });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("shows a settled order in its settlement, the financial events, the Orders API and the All Orders report", async () => {
    const list = await call(sb, token, "GET", "/reports/2021-06-30/reports", { query: { reportTypes: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2" } });
    const doc = await downloadDocument(sb, token, list.body.reports[0].reportDocumentId);
    const col = (name: (typeof SETTLEMENT)[number]) => SETTLEMENT.indexOf(name);
    const line = doc.lines.find((l) => l[col("transaction-type")] === "Order" && l[col("amount-description")] === "Principal")!;
    expect(line).toBeDefined();
    const orderId = line[col("order-id")]!;
    const posted = Date.parse(line[col("posted-date-time")]!.replace(" UTC", "Z").replace(" ", "T"));

    const fin = await call(sb, token, "GET", "/finances/v0/financialEvents", { query: { PostedAfter: new Date(posted - 1000).toISOString(), PostedBefore: new Date(posted + 1000).toISOString() } });
    const shipment = (fin.body.payload.FinancialEvents.ShipmentEventList as Array<{ AmazonOrderId: string; ShipmentItemList: Array<{ SellerSKU: string; ItemChargeList: Array<{ ChargeType: string; ChargeAmount: { CurrencyAmount: number } }> }> }>).find(
      (e) => e.AmazonOrderId === orderId,
    )!;
    const principal = shipment.ShipmentItemList.find((i) => i.SellerSKU === line[col("sku")])!.ItemChargeList.find((c) => c.ChargeType === "Principal")!;
    expect(Math.round(principal.ChargeAmount.CurrencyAmount * 100)).toBe(Math.round(Number(line[col("amount")]) * 100));

    const orders = await call(sb, token, "GET", "/orders/v0/orders", { query: { MarketplaceIds: "ATVPDKIKX0DER", CreatedAfter: new Date(posted - 5 * DAY).toISOString(), AmazonOrderIds: orderId } });
    expect(orders.body.payload.Orders.map((o: { AmazonOrderId: string }) => o.AmazonOrderId)).toEqual([orderId]);
    const purchase = Date.parse(orders.body.payload.Orders[0].PurchaseDate);

    const allOrders = await createAndWait(sb, token, {
      reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
      dataStartTime: new Date(purchase - 1000).toISOString(),
      dataEndTime: new Date(purchase + 1000).toISOString(),
    });
    const rows = (await downloadDocument(sb, token, allOrders.reportDocumentId)).lines;
    const skuCol = REPORT_COLUMNS.GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL.indexOf("sku");
    expect(rows.filter((r) => r[0] === orderId).map((r) => r[skuCol])).toContain(line[col("sku")]);
  });

  it("restocks every sellable return in the ledger except the planted R06 ones", async () => {
    const window = { dataStartTime: isoBeforeEnd(sb, 300 * DAY), dataEndTime: isoBeforeEnd(sb, 20 * DAY) };
    const returns = (await downloadDocument(sb, token, (await createAndWait(sb, token, { reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", ...window })).reportDocumentId)).lines.slice(1);
    const ledger = (
      await downloadDocument(
        sb,
        token,
        (await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", reportOptions: { eventType: "CustomerReturns" }, dataStartTime: window.dataStartTime, dataEndTime: isoBeforeEnd(sb, 0) })).reportDocumentId,
      )
    ).lines.slice(1);
    const R = REPORT_COLUMNS.GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA;
    const L = REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA;
    const restocked = new Set(ledger.map((l) => `${l[L.indexOf("Reference ID")]}|${l[L.indexOf("FNSKU")]}`));
    const sellable = returns.filter((r) => r[R.indexOf("detailed-disposition")] === "SELLABLE");
    expect(sellable.length).toBeGreaterThan(50);
    const missing = sellable.filter((r) => !restocked.has(`${r[R.indexOf("order-id")]}|${r[R.indexOf("fnsku")]}`)).map((r) => r[R.indexOf("license-plate-number")]);
    const truth = readFileSync(sb.groundTruthPath(sb.sellers[0]!.sellingPartnerId), "utf8").trim().split("\n").map((l) => JSON.parse(l) as GroundTruthRecord);
    const inWindow = (t: GroundTruthRecord) => Date.parse(t.anchorDate) >= Date.parse(window.dataStartTime) && Date.parse(t.anchorDate) <= Date.parse(window.dataEndTime);
    const planted = truth.filter((t) => t.rule === "R06" && t.kind === "claim" && inWindow(t)).map((t) => t.keys.lpn);
    // Without a planted return in the window the comparison below would pass vacuously.
    expect(planted.length, "planted R06 returns in the window of the pinned world").toBeGreaterThan(0);
    expect([...missing].sort()).toEqual([...planted].sort());
  });

  it("balances the ledger summary (start + flows = end) and keeps a never-arrived transfer in transit", async () => {
    const summary = await createAndWait(sb, token, { reportType: "GET_LEDGER_SUMMARY_VIEW_DATA", dataStartTime: isoBeforeEnd(sb, 170 * DAY), dataEndTime: isoBeforeEnd(sb, 0) });
    const lines = (await downloadDocument(sb, token, summary.reportDocumentId)).lines;
    const C = REPORT_COLUMNS.GET_LEDGER_SUMMARY_VIEW_DATA;
    const v = (l: string[], c: (typeof C)[number]) => Number(l[C.indexOf(c)]);
    const flows = ["Receipts", "Customer Shipments", "Customer Returns", "Vendor Returns", "Warehouse Transfer In/Out", "Found", "Lost", "Damaged", "Disposed", "Other Events"] as const;
    const rows = lines.slice(1);
    expect(new Set(rows.map((l) => l[0])).size).toBeGreaterThanOrEqual(6); // months
    for (const l of rows) expect(v(l, "Starting Warehouse Balance") + flows.reduce((a, f) => a + v(l, f), 0)).toBe(v(l, "Ending Warehouse Balance"));
    const truth = readFileSync(sb.groundTruthPath(sb.sellers[0]!.sellingPartnerId), "utf8").trim().split("\n").map((l) => JSON.parse(l) as GroundTruthRecord);
    const lastMonth = rows.at(-1)![0];
    for (const t of truth.filter((x) => x.rule === "R17" && x.kind === "claim")) {
      const row = rows.find((l) => l[0] === lastMonth && l[C.indexOf("FNSKU")] === t.keys.fnsku && l[C.indexOf("Disposition")] === "SELLABLE")!;
      expect(v(row, "In Transit Between Warehouses"), t.id).toBeGreaterThanOrEqual(t.quantity);
    }
  });
});
