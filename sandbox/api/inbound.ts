// Fulfillment Inbound v0 (read operations): getShipments, getShipmentItemsByShipmentId, getShipmentItems.
import { z } from "zod";
import { allShipments, type InboundShipment, receivedAt, shipmentStatusAt } from "../generator/inbound";
import { invalidInput, notFound } from "../http/errors";
import type { ApiContext, ApiHandler } from "./context";
import { isoDateTime, listOf, parseOrThrow } from "./validation";

const PAGE_SIZE = 50;
const TOKEN_TTL_MS = 60 * 60_000;
const STATUSES = ["WORKING", "SHIPPED", "RECEIVING", "CANCELLED", "DELETED", "CLOSED", "ERROR", "IN_TRANSIT", "DELIVERED", "CHECKED_IN"] as const;

const SHIP_FROM = { Name: "Sandbox Seller Warehouse", AddressLine1: "1200 Industrial Way", City: "Reno", StateOrProvinceCode: "NV", CountryCode: "US", PostalCode: "89502" };

interface Cursor {
  kind: "shipments" | "items";
  ids: string[];
  offset: number;
}

function visible(ctx: ApiContext): InboundShipment[] {
  const now = ctx.clock.nowMs();
  return allShipments(ctx.seller.world).filter((s) => s.createdMs <= now);
}

function shipmentJson(s: InboundShipment, now: number) {
  return {
    ShipmentId: s.shipmentId,
    ShipmentName: s.name,
    ShipFromAddress: { ...SHIP_FROM, Name: SHIP_FROM.Name },
    DestinationFulfillmentCenterId: s.fc,
    ShipmentStatus: shipmentStatusAt(s, now).status,
    LabelPrepType: "SELLER_LABEL",
    AreCasesRequired: s.lines.some((l) => l.caseQty > 1),
    BoxContentsSource: "FEED",
  };
}

function itemsJson(s: InboundShipment, now: number) {
  return s.lines.map((l) => ({
    ShipmentId: s.shipmentId,
    SellerSKU: l.sku.sku,
    FulfillmentNetworkSKU: l.sku.fnsku,
    QuantityShipped: l.shipped,
    QuantityReceived: receivedAt(l, now),
    QuantityInCase: l.caseQty > 1 ? l.caseQty : 0,
  }));
}

function checkMarketplace(ctx: ApiContext, id: string | undefined): void {
  if (id !== undefined && !ctx.seller.world.seller.marketplaceIds.includes(id)) throw invalidInput(`Invalid MarketplaceId ${id}.`);
}

function pageFrom(ctx: ApiContext, cursor: Cursor, parent?: string) {
  const now = ctx.clock.nowMs();
  const byId = new Map(allShipments(ctx.seller.world).map((s) => [s.shipmentId, s]));
  const slice = cursor.ids.slice(cursor.offset, cursor.offset + PAGE_SIZE).map((id) => byId.get(id)).filter((s): s is InboundShipment => !!s);
  const payload: Record<string, unknown> =
    cursor.kind === "shipments" ? { ShipmentData: slice.map((s) => shipmentJson(s, now)) } : { ItemData: slice.flatMap((s) => itemsJson(s, now)) };
  if (cursor.offset + PAGE_SIZE < cursor.ids.length) {
    payload.NextToken = ctx.seller.tokens.issue<Cursor>(cursor.kind === "shipments" ? "getShipments" : "getShipmentItems", { ...cursor, offset: cursor.offset + PAGE_SIZE }, TOKEN_TTL_MS, parent);
  }
  return { payload };
}

function inRange(ctx: ApiContext, after: string | undefined, before: string | undefined): InboundShipment[] {
  if (!after || !before) throw invalidInput("LastUpdatedAfter and LastUpdatedBefore are required when QueryType is DATE_RANGE.");
  const a = Date.parse(after);
  const b = Date.parse(before);
  if (b < a) throw invalidInput("LastUpdatedBefore must be after LastUpdatedAfter.");
  const now = ctx.clock.nowMs();
  return visible(ctx).filter((s) => {
    const u = shipmentStatusAt(s, now).updatedMs;
    return u >= a && u <= b;
  });
}

const ShipmentsQuery = z.object({
  ShipmentStatusList: listOf(z.enum(STATUSES)),
  ShipmentIdList: listOf(z.string()).pipe(z.array(z.string()).max(999).optional()),
  LastUpdatedAfter: isoDateTime.optional(),
  LastUpdatedBefore: isoDateTime.optional(),
  QueryType: z.enum(["SHIPMENT", "DATE_RANGE", "NEXT_TOKEN"]),
  NextToken: z.string().optional(),
  MarketplaceId: z.string().min(1),
});

function fromToken(ctx: ApiContext, kind: "getShipments" | "getShipmentItems", token: string | undefined) {
  if (!token) throw invalidInput("NextToken is required when QueryType is NEXT_TOKEN.");
  const entry = ctx.seller.tokens.get<Cursor>(kind, token);
  if (entry === "invalid" || entry === "expired") throw invalidInput("Invalid NextToken.");
  entry.page ??= pageFrom(ctx, entry.state, token);
  return { status: 200, body: entry.page };
}

export const getShipments: ApiHandler = async (ctx) => {
  const q = parseOrThrow(ShipmentsQuery, ctx.query);
  checkMarketplace(ctx, q.MarketplaceId);
  if (q.QueryType === "NEXT_TOKEN") return fromToken(ctx, "getShipments", q.NextToken);
  const now = ctx.clock.nowMs();
  let list: InboundShipment[];
  if (q.QueryType === "SHIPMENT") {
    if (!q.ShipmentStatusList && !q.ShipmentIdList) throw invalidInput("ShipmentStatusList or ShipmentIdList is required when QueryType is SHIPMENT.");
    list = visible(ctx).filter(
      (s) => (!q.ShipmentIdList || q.ShipmentIdList.includes(s.shipmentId)) && (!q.ShipmentStatusList || (q.ShipmentStatusList as string[]).includes(shipmentStatusAt(s, now).status)),
    );
  } else {
    list = inRange(ctx, q.LastUpdatedAfter, q.LastUpdatedBefore);
    if (q.ShipmentStatusList) list = list.filter((s) => (q.ShipmentStatusList as string[]).includes(shipmentStatusAt(s, now).status));
  }
  return { status: 200, body: pageFrom(ctx, { kind: "shipments", ids: list.map((s) => s.shipmentId), offset: 0 }) };
};

export const getShipmentItemsByShipmentId: ApiHandler = async (ctx) => {
  const q = parseOrThrow(z.object({ MarketplaceId: z.string().optional() }), ctx.query);
  checkMarketplace(ctx, q.MarketplaceId);
  const id = ctx.params.shipmentId ?? "";
  const s = visible(ctx).find((x) => x.shipmentId === id);
  if (!s) throw notFound(`Shipment ${id} not found.`);
  return { status: 200, body: { payload: { ItemData: itemsJson(s, ctx.clock.nowMs()) } } };
};

const ItemsQuery = z.object({
  LastUpdatedAfter: isoDateTime.optional(),
  LastUpdatedBefore: isoDateTime.optional(),
  QueryType: z.enum(["DATE_RANGE", "NEXT_TOKEN"]),
  NextToken: z.string().optional(),
  MarketplaceId: z.string().min(1),
});

export const getShipmentItems: ApiHandler = async (ctx) => {
  const q = parseOrThrow(ItemsQuery, ctx.query);
  checkMarketplace(ctx, q.MarketplaceId);
  if (q.QueryType === "NEXT_TOKEN") return fromToken(ctx, "getShipmentItems", q.NextToken);
  const list = inRange(ctx, q.LastUpdatedAfter, q.LastUpdatedBefore);
  return { status: 200, body: pageFrom(ctx, { kind: "items", ids: list.map((s) => s.shipmentId), offset: 0 }) };
};
