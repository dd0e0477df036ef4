// Orders v0: getOrders (CreatedAfter xor LastUpdatedAfter, MarketplaceIds, filters, NextToken) and getOrderItems.
import { z } from "zod";
import { drawOrders, parseOrderId } from "../generator/orders";
import type { Order } from "../generator/types";
import { CURRENCY, DAY_MS, skuAt, type World } from "../generator/world";
import { streamWorld } from "../generator/world-stream";
import { invalidInput, notFound } from "../http/errors";
import type { ApiContext, ApiHandler } from "./context";
import { PeekIterator, take } from "./page-tokens";
import { intParam, isoDateTime, listOf, parseOrThrow } from "./validation";

const TWO_MINUTES = 2 * 60_000;
const TOKEN_TTL_MS = 60 * 60_000;
const money = (minor: number) => ({ CurrencyCode: CURRENCY, Amount: (minor / 100).toFixed(2) });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const Query = z.object({
  CreatedAfter: isoDateTime.optional(),
  CreatedBefore: isoDateTime.optional(),
  LastUpdatedAfter: isoDateTime.optional(),
  LastUpdatedBefore: isoDateTime.optional(),
  OrderStatuses: listOf(z.string()),
  MarketplaceIds: listOf(z.string()).pipe(z.array(z.string()).min(1, "MarketplaceIds is required").max(50)),
  FulfillmentChannels: listOf(z.enum(["AFN", "MFN"])),
  AmazonOrderIds: listOf(z.string()).pipe(z.array(z.string()).max(50).optional()),
  MaxResultsPerPage: intParam.pipe(z.number().int().min(1).max(100).optional()),
  NextToken: z.string().optional(),
});

function orderStatusAt(o: Order, now: number): "Shipped" | "Canceled" | "Unshipped" {
  if (o.status === "Canceled") return "Canceled";
  return o.shipMs !== null && o.shipMs <= now ? "Shipped" : "Unshipped";
}

export function orderJson(w: World, o: Order, now: number) {
  const status = orderStatusAt(o, now);
  const units = o.items.reduce((a, i) => a + i.quantity, 0);
  const shipped = status === "Shipped";
  return {
    AmazonOrderId: o.amazonOrderId,
    PurchaseDate: iso(o.purchaseMs),
    LastUpdateDate: iso(shipped || status === "Canceled" ? Math.min(o.lastUpdateMs, now) : o.purchaseMs),
    OrderStatus: status,
    FulfillmentChannel: "AFN",
    SalesChannel: "Amazon.com",
    ShipServiceLevel: "Expedited",
    OrderTotal: money(o.items.reduce((a, i) => a + i.principalMinor + i.taxMinor, 0)),
    NumberOfItemsShipped: shipped ? units : 0,
    NumberOfItemsUnshipped: shipped || status === "Canceled" ? 0 : units,
    PaymentMethod: "Other",
    PaymentMethodDetails: ["Standard"],
    MarketplaceId: w.seller.marketplaceIds[0] ?? "",
    ShipmentServiceLevelCategory: "Expedited",
    OrderType: "StandardOrder",
    EarliestShipDate: iso(o.purchaseMs),
    LatestShipDate: iso(o.purchaseMs + 2 * DAY_MS),
    IsBusinessOrder: false,
    IsPrime: true,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: false,
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
  };
}

interface Cursor {
  it: PeekIterator<Order>;
  max: number;
  mode: "created" | "updated";
  before: number;
}

function* ordersMatching(w: World, q: z.infer<typeof Query>, mode: Cursor["mode"], after: number, before: number, now: number): Generator<Order> {
  // An order's LastUpdateDate trails its purchase by at most ~2 days.
  const from = mode === "created" ? after : after - 3 * DAY_MS;
  for (const ev of streamWorld(w, { fromMs: from, toMs: mode === "created" ? before : Math.min(before + 1, now), kinds: new Set(["order"]) })) {
    if (ev.kind !== "order") continue;
    const o = ev.order;
    if (mode === "updated") {
      const updated = Date.parse(orderJson(w, o, now).LastUpdateDate);
      if (updated < after || updated > before) continue;
    }
    if (q.OrderStatuses && !q.OrderStatuses.includes(orderStatusAt(o, now))) continue;
    if (q.FulfillmentChannels && !q.FulfillmentChannels.includes("AFN")) continue;
    if (q.AmazonOrderIds && !q.AmazonOrderIds.includes(o.amazonOrderId)) continue;
    yield o;
  }
}

function page(ctx: ApiContext, c: Cursor, parent?: string) {
  const now = ctx.clock.nowMs();
  const { items } = take(c.it, c.max);
  const payload: Record<string, unknown> = { Orders: items.map((o) => orderJson(ctx.seller.world, o, now)) };
  if (c.it.hasMore()) payload.NextToken = ctx.seller.tokens.issue("getOrders", c, TOKEN_TTL_MS, parent);
  payload[c.mode === "created" ? "CreatedBefore" : "LastUpdatedBefore"] = iso(c.before);
  return { payload };
}

export const getOrders: ApiHandler = async (ctx) => {
  const q = parseOrThrow(Query, ctx.query);
  const w = ctx.seller.world;
  const bad = (q.MarketplaceIds ?? []).find((m) => !w.seller.marketplaceIds.includes(m));
  if (bad) throw invalidInput(`Invalid MarketplaceId ${bad}.`);
  if (q.NextToken !== undefined) {
    const entry = ctx.seller.tokens.get<Cursor>("getOrders", q.NextToken);
    if (entry === "invalid" || entry === "expired") throw invalidInput("Invalid NextToken.");
    entry.page ??= page(ctx, entry.state, q.NextToken);
    return { status: 200, body: entry.page };
  }
  const now = ctx.clock.nowMs();
  if ((q.CreatedAfter === undefined) === (q.LastUpdatedAfter === undefined)) {
    throw invalidInput("Exactly one of CreatedAfter and LastUpdatedAfter must be specified.");
  }
  if (q.CreatedAfter && (q.LastUpdatedBefore !== undefined)) throw invalidInput("LastUpdatedBefore cannot be combined with CreatedAfter.");
  if (q.LastUpdatedAfter && (q.CreatedBefore !== undefined)) throw invalidInput("CreatedBefore cannot be combined with LastUpdatedAfter.");
  const mode: Cursor["mode"] = q.CreatedAfter ? "created" : "updated";
  const after = Date.parse((q.CreatedAfter ?? q.LastUpdatedAfter) as string);
  const beforeRaw = q.CreatedBefore ?? q.LastUpdatedBefore;
  const before = beforeRaw ? Date.parse(beforeRaw) : now - TWO_MINUTES;
  if (after > now - TWO_MINUTES) throw invalidInput(`${mode === "created" ? "CreatedAfter" : "LastUpdatedAfter"} must be at least 2 minutes before the time of the request.`);
  if (before > now - TWO_MINUTES) throw invalidInput(`${mode === "created" ? "CreatedBefore" : "LastUpdatedBefore"} must be at least 2 minutes before the time of the request.`);
  if (before < after) throw invalidInput("The date range is invalid: the Before date is earlier than the After date.");
  // The Orders API only reaches two years back.
  const floor = Math.max(after, now - 730 * DAY_MS);
  const it = new PeekIterator(ordersMatching(w, q, mode, floor, before, now));
  return { status: 200, body: page(ctx, { it, max: q.MaxResultsPerPage ?? 100, mode, before }) };
};

export function findOrder(w: World, orderId: string, now: number): Order | null {
  const parsed = parseOrderId(orderId);
  if (!parsed || parsed.day < 0 || parsed.day > w.lastDay) return null;
  const found = drawOrders(w, parsed.day)[parsed.seq]?.order;
  if (!found || found.amazonOrderId !== orderId || found.purchaseMs > Math.min(now, w.endMs)) return null;
  return found;
}

export const getOrderItems: ApiHandler = async (ctx) => {
  const orderId = ctx.params.orderId ?? "";
  const w = ctx.seller.world;
  const now = ctx.clock.nowMs();
  const order = findOrder(w, orderId, now);
  if (!order) throw notFound(`Order ${orderId} not found.`, "");
  const shipped = orderStatusAt(order, now) === "Shipped";
  return {
    status: 200,
    body: {
      payload: {
        AmazonOrderId: orderId,
        OrderItems: order.items.map((i) => {
          const sku = skuAt(w, i.skuIdx);
          return {
            ASIN: sku.asin, SellerSKU: sku.sku, OrderItemId: i.orderItemId, Title: sku.title, QuantityOrdered: i.quantity,
            QuantityShipped: shipped ? i.quantity : 0, ProductInfo: { NumberOfItems: "1" }, ItemPrice: money(i.principalMinor),
            ItemTax: money(i.taxMinor), PromotionDiscount: money(0), PromotionDiscountTax: money(0), IsGift: "false",
            ConditionId: "New", ConditionSubtypeId: "New", IsTransparency: false, SerialNumberRequired: false,
          };
        }),
      },
    },
  };
};
