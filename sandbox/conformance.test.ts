// Every SP-API operation the sandbox serves, in its success and error shapes, validated against the
// real OpenAPI models (the harness validates each response it sees; this file makes sure all are seen).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { MODELS_AVAILABLE, MODELS_DIR, validateResponse } from "./test-support/conformance";
import { authorize, call, createAndWait, DAY, isoAgo, start, validated } from "./test-support/harness";

const US = "ATVPDKIKX0DER";

// A clone without ../shared may skip these locally; CI must not pass without checking them.
const MODELS_REQUIRED = process.env.CI === "true";
if (!MODELS_AVAILABLE && !MODELS_REQUIRED) console.warn(`[sandbox conformance] skipped: SP-API models not found at ${MODELS_DIR}`);

describe.runIf(MODELS_REQUIRED)("conformance under CI", () => {
  it("finds Amazon's OpenAPI models", () => {
    expect(MODELS_AVAILABLE, `SP-API models not found at ${MODELS_DIR}`).toBe(true);
  });
});

describe.skipIf(!MODELS_AVAILABLE)("conformance with Amazon's OpenAPI models", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 1, reportCooldown: "off" });
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("the validator rejects bodies that break the model", () => {
    expect(validateResponse("getReport", 200, { reportId: "1", reportType: "X", createdTime: "2026-01-01T00:00:00Z" })).not.toEqual([]);
    expect(validateResponse("getReport", 200, { reportId: "1", reportType: "X", createdTime: "not a date", processingStatus: "DONE" })).not.toEqual([]);
    expect(validateResponse("getOrders", 200, { payload: { Orders: [{ AmazonOrderId: "1" }] } })).not.toEqual([]);
    expect(validateResponse("getReport", 200, { reportId: "1", reportType: "X", createdTime: "2026-01-01T00:00:00Z", processingStatus: "DONE" })).toEqual([]);
  });

  it("validates success and error responses of every operation", async () => {
    const ledger = await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", dataStartTime: isoAgo(sb, 30 * DAY) });
    const R = "/reports/2021-06-30/reports";
    await call(sb, token, "GET", R, { query: { reportTypes: "GET_LEDGER_DETAIL_VIEW_DATA,GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", pageSize: 2 } });
    await call(sb, token, "GET", R, { query: { pageSize: 500 } });
    await call(sb, null, "GET", R, { query: { reportTypes: "GET_LEDGER_DETAIL_VIEW_DATA" } });
    await call(sb, "Atza|bad", "GET", `${R}/${ledger.reportId}`);
    await call(sb, token, "GET", `${R}/999`);
    await call(sb, token, "POST", R, { body: { reportType: "NOPE", marketplaceIds: [US] } });
    const queued = await call(sb, token, "POST", R, { body: { reportType: "GET_FBA_REIMBURSEMENTS_DATA", marketplaceIds: [US], dataStartTime: isoAgo(sb, 10 * DAY) } });
    await call(sb, token, "DELETE", `${R}/${queued.body.reportId}`);
    await call(sb, token, "DELETE", `${R}/${queued.body.reportId}`);
    await call(sb, token, "GET", `/reports/2021-06-30/documents/${ledger.reportDocumentId}`);
    await call(sb, token, "GET", "/reports/2021-06-30/documents/amzn1.spdoc.missing");
    await call(sb, token, "GET", "/finances/v0/financialEvents", { query: { PostedAfter: isoAgo(sb, 60 * DAY), PostedBefore: isoAgo(sb, 50 * DAY), MaxResultsPerPage: 100 } });
    await call(sb, token, "GET", "/finances/v0/financialEvents", { query: { PostedAfter: isoAgo(sb, 300 * DAY) } });
    await call(sb, token, "GET", "/finances/v0/financialEvents", { query: { MaxResultsPerPage: 0 } });
    const orders = await call(sb, token, "GET", "/orders/v0/orders", { query: { MarketplaceIds: US, CreatedAfter: isoAgo(sb, 5 * DAY) } });
    await call(sb, token, "GET", "/orders/v0/orders", { query: { MarketplaceIds: US } });
    await call(sb, token, "GET", `/orders/v0/orders/${orders.body.payload.Orders[0].AmazonOrderId}/orderItems`);
    await call(sb, token, "GET", "/orders/v0/orders/111-2222222-3333333/orderItems");
    await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: { granularityType: "Marketplace", granularityId: US, marketplaceIds: US, details: "true" } });
    await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: { granularityType: "Country", granularityId: US, marketplaceIds: US } });
    const shipments = await call(sb, token, "GET", "/fba/inbound/v0/shipments", { query: { MarketplaceId: US, QueryType: "SHIPMENT", ShipmentStatusList: "CLOSED,RECEIVING,WORKING,IN_TRANSIT,CHECKED_IN,CANCELLED" } });
    await call(sb, token, "GET", "/fba/inbound/v0/shipments", { query: { MarketplaceId: US, QueryType: "SHIPMENT" } });
    await call(sb, token, "GET", `/fba/inbound/v0/shipments/${shipments.body.payload.ShipmentData[0].ShipmentId}/items`, { query: { MarketplaceId: US } });
    await call(sb, token, "GET", "/fba/inbound/v0/shipments/FBA000000000/items");
    await call(sb, token, "GET", "/fba/inbound/v0/shipmentItems", { query: { MarketplaceId: US, QueryType: "DATE_RANGE", LastUpdatedAfter: isoAgo(sb, 30 * DAY), LastUpdatedBefore: isoAgo(sb, 0) } });
    await call(sb, token, "GET", "/fba/inbound/v0/shipmentItems", { query: { MarketplaceId: US, QueryType: "NEXT_TOKEN" } });
    await call(sb, token, "GET", "/sellers/v1/marketplaceParticipations");
    await call(sb, token, "GET", "/sellers/v1/account");
    await call(sb, null, "GET", "/sellers/v1/account");
    sb.setFaults({ throttle: { "*": 1 } });
    await call(sb, token, "GET", "/sellers/v1/account");
    await call(sb, token, "GET", "/orders/v0/orders", { query: { MarketplaceIds: US, CreatedAfter: isoAgo(sb, 5 * DAY) } });
    await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: { granularityType: "Marketplace", granularityId: US, marketplaceIds: US } });
    sb.setFaults({ error500: { "*": 1 } });
    await call(sb, token, "GET", "/finances/v0/financialEvents", { query: { PostedAfter: isoAgo(sb, 6 * DAY) } });
    sb.setFaults({ error503: { "*": 1 } });
    await call(sb, token, "GET", "/fba/inbound/v0/shipments", { query: { MarketplaceId: US, QueryType: "SHIPMENT", ShipmentStatusList: "CLOSED" } });
    sb.setFaults({});

    const seen = new Set(validated.map((v) => `${v.operationId} ${v.status}`));
    for (const op of ["createReport", "getReports", "getReport", "cancelReport", "getReportDocument", "listFinancialEvents", "getOrders", "getOrderItems", "getInventorySummaries", "getShipments", "getShipmentItemsByShipmentId", "getShipmentItems", "getMarketplaceParticipations", "getAccount"]) {
      expect([...seen].some((s) => s.startsWith(`${op} 2`)), `${op} success validated`).toBe(true);
    }
    for (const s of ["getReports 400", "getReports 403", "getReport 403", "getReport 404", "createReport 400", "cancelReport 400", "getReportDocument 404", "listFinancialEvents 400", "getOrders 400", "getOrders 429", "getOrderItems 404", "getInventorySummaries 400", "getInventorySummaries 429", "getShipments 400", "getShipmentItemsByShipmentId 404", "getShipmentItems 400", "listFinancialEvents 500", "getShipments 503", "getAccount 403", "getAccount 429"]) {
      expect(seen.has(s), s).toBe(true);
    }
  });
});
