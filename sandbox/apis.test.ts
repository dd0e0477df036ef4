import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MIN_REAL_TOKEN_LIFE_MS } from "./api/page-tokens";
import { streamWorld } from "./generator/world-stream";
import type { Sandbox } from "./server";
import { authorize, call, DAY, isoAgo, sleep, start } from "./test-support/harness";

const FIN = "/finances/v0/financialEvents";
const ORDERS = "/orders/v0/orders";
const US = "ATVPDKIKX0DER";

describe("Finances v0 listFinancialEvents", () => {
  let sb: Sandbox;
  let token: string;
  let sellerId: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 1, groundTruth: false });
  });
  beforeEach(async () => {
    ({ accessToken: token, sellerId } = await authorize(sb, 0));
  });
  afterAll(() => sb.close());

  it("pages every event of the window exactly once, in the model's lists", async () => {
    const after = isoAgo(sb, 20 * DAY);
    const before = isoAgo(sb, 10 * DAY);
    const seen: string[] = [];
    let page = await call(sb, token, "GET", FIN, { query: { PostedAfter: after, PostedBefore: before, MaxResultsPerPage: 50 } });
    let pages = 1;
    for (;;) {
      expect(page.status).toBe(200);
      const fe = page.body.payload.FinancialEvents;
      for (const [list, events] of Object.entries(fe) as Array<[string, Array<Record<string, unknown>>]>) {
        for (const e of events) {
          // ServiceFeeEvent has no PostedDate in the model.
          if (list !== "ServiceFeeEventList") expect(Date.parse(String(e.PostedDate))).toBeGreaterThanOrEqual(Date.parse(after));
          seen.push(`${list}:${String(e.AmazonOrderId ?? e.AdjustmentType ?? e.FeeDescription)}:${String(e.PostedDate)}`);
        }
      }
      const next = page.body.payload.NextToken;
      if (!next) break;
      page = await call(sb, token, "GET", FIN, { query: { NextToken: next, MaxResultsPerPage: 50 } });
      pages++;
    }
    const expected = [...streamWorld(sb.world(sellerId), { fromMs: Date.parse(after), toMs: Date.parse(before), kinds: new Set(["fin"]) })].length;
    expect(seen.length).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 50));
    expect(seen.some((s) => s.startsWith("ShipmentEventList:"))).toBe(true);
  });

  it("returns an empty result (not an error) for a window longer than 180 days", async () => {
    const r = await call(sb, token, "GET", FIN, { query: { PostedAfter: isoAgo(sb, 200 * DAY), PostedBefore: isoAgo(sb, 10 * DAY) } });
    expect(r.status).toBe(200);
    expect(r.body.payload.FinancialEvents).toEqual({});
    expect(r.body.payload.NextToken).toBeUndefined();
  });

  it("rejects PostedAfter within 2 minutes of now and an expired NextToken with InvalidInput", async () => {
    expect((await call(sb, token, "GET", FIN, { query: { PostedAfter: isoAgo(sb, 60_000) } })).status).toBe(400);
    const first = await call(sb, token, "GET", FIN, { query: { PostedAfter: isoAgo(sb, 30 * DAY), MaxResultsPerPage: 1 } });
    const next = first.body.payload.NextToken as string;
    const a = await call(sb, token, "GET", FIN, { query: { NextToken: next, MaxResultsPerPage: 1 } });
    const retry = await call(sb, token, "GET", FIN, { query: { NextToken: next, MaxResultsPerPage: 1 } });
    expect(retry.body).toEqual(a.body); // a retried token gives the same page
    // 25 sandbox minutes at x600, or the real floor every token lives, whichever is longer.
    await sleep(Math.max((25 * 60_000) / 600, MIN_REAL_TOKEN_LIFE_MS) + 100);
    const expired = await call(sb, token, "GET", FIN, { query: { NextToken: a.body.payload.NextToken, MaxResultsPerPage: 1 } });
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0]).toMatchObject({ code: "InvalidInput", message: "Token is not valid, token duration is 25 minutes." });
  });
});

describe("Orders v0", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 2, groundTruth: false });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("lists orders created in a window and their items, consistent with the financial events", async () => {
    const after = isoAgo(sb, 40 * DAY);
    const before = isoAgo(sb, 38 * DAY);
    const r = await call(sb, token, "GET", ORDERS, { query: { MarketplaceIds: US, CreatedAfter: after, CreatedBefore: before, MaxResultsPerPage: 100 } });
    expect(r.status).toBe(200);
    const orders = r.body.payload.Orders as Array<{ AmazonOrderId: string; PurchaseDate: string; OrderStatus: string }>;
    expect(orders.length).toBeGreaterThan(10);
    for (const o of orders) expect(Date.parse(o.PurchaseDate)).toBeGreaterThanOrEqual(Date.parse(after));
    expect(r.body.payload.CreatedBefore).toBe(before.replace(/\.\d{3}Z$/, "Z"));
    const shipped = orders.find((o) => o.OrderStatus === "Shipped")!;
    const items = await call(sb, token, "GET", `${ORDERS}/${shipped.AmazonOrderId}/orderItems`);
    expect(items.status).toBe(200);
    expect(items.body.payload.AmazonOrderId).toBe(shipped.AmazonOrderId);
    const skus = (items.body.payload.OrderItems as Array<{ SellerSKU: string }>).map((i) => i.SellerSKU);
    const fin = await call(sb, token, "GET", FIN, { query: { PostedAfter: shipped.PurchaseDate, PostedBefore: new Date(Date.parse(shipped.PurchaseDate) + 3 * DAY).toISOString(), MaxResultsPerPage: 100 } });
    const shipment = (fin.body.payload.FinancialEvents.ShipmentEventList as Array<{ AmazonOrderId: string; ShipmentItemList: Array<{ SellerSKU: string }> }>).find(
      (e) => e.AmazonOrderId === shipped.AmazonOrderId,
    );
    expect(shipment?.ShipmentItemList.map((i) => i.SellerSKU).sort()).toEqual([...skus].sort());
  });

  it("needs exactly one of CreatedAfter and LastUpdatedAfter and refuses another seller's order id", async () => {
    expect((await call(sb, token, "GET", ORDERS, { query: { MarketplaceIds: US } })).status).toBe(400);
    expect((await call(sb, token, "GET", ORDERS, { query: { MarketplaceIds: US, CreatedAfter: isoAgo(sb, DAY), LastUpdatedAfter: isoAgo(sb, DAY) } })).status).toBe(400);
    expect((await call(sb, token, "GET", ORDERS, { query: { CreatedAfter: isoAgo(sb, DAY) } })).status).toBe(400);
    const updated = await call(sb, token, "GET", ORDERS, { query: { MarketplaceIds: US, LastUpdatedAfter: isoAgo(sb, 2 * DAY), MaxResultsPerPage: 5 } });
    expect(updated.status).toBe(200);
    expect(updated.body.payload.NextToken).toBeTruthy();
    const page2 = await call(sb, token, "GET", ORDERS, { query: { MarketplaceIds: US, NextToken: updated.body.payload.NextToken } });
    expect(page2.body.payload.Orders[0].AmazonOrderId).not.toBe(updated.body.payload.Orders[0].AmazonOrderId);
    const otherToken = (await authorize(sb, 1)).accessToken;
    const mine = updated.body.payload.Orders[0].AmazonOrderId;
    expect((await call(sb, otherToken, "GET", `${ORDERS}/${mine}/orderItems`)).status).toBe(404);
    expect((await call(sb, token, "GET", `${ORDERS}/111-0000000-0000000/orderItems`)).status).toBe(404);
  });
});

describe("FBA Inventory and Inbound", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 60, sellers: 1, groundTruth: false });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("returns inventory summaries with details for the marketplace granularity", async () => {
    const q = { granularityType: "Marketplace", granularityId: US, marketplaceIds: US, details: "true" };
    const r = await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: q });
    expect(r.status).toBe(200);
    expect(r.body.payload.granularity).toEqual({ granularityType: "Marketplace", granularityId: US });
    const list = r.body.payload.inventorySummaries as Array<{ sellerSku: string; totalQuantity: number; inventoryDetails: { fulfillableQuantity: number } }>;
    expect(list).toHaveLength(40);
    expect(list.reduce((a, s) => a + s.inventoryDetails.fulfillableQuantity, 0)).toBeGreaterThan(0);
    const one = await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: { ...q, sellerSkus: list[3]!.sellerSku } });
    expect(one.body.payload.inventorySummaries).toHaveLength(1);
    expect((await call(sb, token, "GET", "/fba/inventory/v1/summaries", { query: { ...q, granularityId: "A2EUQ1WTGCTBG2" } })).status).toBe(400);
  });

  it("lists inbound shipments by status and their items, matching the ledger receipts", async () => {
    const r = await call(sb, token, "GET", "/fba/inbound/v0/shipments", { query: { MarketplaceId: US, QueryType: "SHIPMENT", ShipmentStatusList: "CLOSED" } });
    expect(r.status).toBe(200);
    const shipments = r.body.payload.ShipmentData as Array<{ ShipmentId: string; ShipmentStatus: string }>;
    expect(shipments.length).toBeGreaterThan(5);
    expect(new Set(shipments.map((s) => s.ShipmentStatus))).toEqual(new Set(["CLOSED"]));
    const id = shipments[0]!.ShipmentId;
    const items = await call(sb, token, "GET", `/fba/inbound/v0/shipments/${id}/items`, { query: { MarketplaceId: US } });
    const received = new Map<string, number>();
    for (const ev of streamWorld(sb.world(sb.sellers[0]!.sellingPartnerId), { kinds: new Set(["ledger"]) })) {
      if (ev.kind === "ledger" && ev.row.eventType === "Receipts" && ev.row.referenceId === id) {
        const sku = sb.world(sb.sellers[0]!.sellingPartnerId).catalog[ev.row.skuIdx]!.sku;
        received.set(sku, (received.get(sku) ?? 0) + ev.row.quantity);
      }
    }
    for (const item of items.body.payload.ItemData as Array<{ SellerSKU: string; QuantityReceived: number; QuantityShipped: number }>) {
      expect(item.QuantityReceived).toBe(received.get(item.SellerSKU) ?? 0);
      expect(item.QuantityShipped).toBeGreaterThanOrEqual(item.QuantityReceived - 3);
    }
    expect((await call(sb, token, "GET", "/fba/inbound/v0/shipments", { query: { MarketplaceId: US, QueryType: "DATE_RANGE" } })).status).toBe(400);
    const range = await call(sb, token, "GET", "/fba/inbound/v0/shipmentItems", { query: { MarketplaceId: US, QueryType: "DATE_RANGE", LastUpdatedAfter: isoAgo(sb, 60 * DAY), LastUpdatedBefore: isoAgo(sb, 0) } });
    expect(range.status).toBe(200);
    expect(range.body.payload.ItemData.length).toBeGreaterThan(0);
  });
});
