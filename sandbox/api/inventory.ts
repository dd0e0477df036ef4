// FBA Inventory v1 getInventorySummaries (Marketplace granularity, details, startDateTime, SKU filters,
// nextToken valid 30 seconds of sandbox time).
import { z } from "zod";
import { inventoryAtEnd } from "../generator/inventory-state";
import { DAY_MS } from "../generator/world";
import { invalidInput } from "../http/errors";
import type { ApiContext, ApiHandler } from "./context";
import { isoDateTime, listOf, parseOrThrow } from "./validation";

const PAGE_SIZE = 50;
const TOKEN_TTL_MS = 30_000;

const Query = z.object({
  details: z.enum(["true", "false"]).optional(),
  granularityType: z.literal("Marketplace"),
  granularityId: z.string().min(1),
  startDateTime: isoDateTime.optional(),
  sellerSkus: listOf(z.string()).pipe(z.array(z.string()).max(50).optional()),
  sellerSku: z.string().optional(),
  nextToken: z.string().optional(),
  marketplaceIds: listOf(z.string()).pipe(z.array(z.string()).length(1, "exactly one marketplaceId is allowed")),
});

interface Cursor {
  offset: number;
  key: string;
}

function summaries(ctx: ApiContext, q: z.infer<typeof Query>) {
  const w = ctx.seller.world;
  const inv = inventoryAtEnd(w);
  const since = q.startDateTime ? Date.parse(q.startDateTime) : undefined;
  const out: unknown[] = [];
  for (const sku of w.catalog) {
    if (q.sellerSku && sku.sku !== q.sellerSku) continue;
    if (q.sellerSkus && !q.sellerSkus.includes(sku.sku)) continue;
    const s = inv[sku.idx];
    if (!s) continue;
    if (since !== undefined && s.lastUpdatedMs < since) continue;
    const u = s.unsellable;
    const unsellable = Object.values(u).reduce((a, b) => a + b, 0);
    const total = s.fulfillable + unsellable + s.reservedCustomerOrders + s.researching + s.inboundWorking + s.inboundShipped + s.inboundReceiving;
    const summary: Record<string, unknown> = {
      asin: sku.asin,
      fnSku: sku.fnsku,
      sellerSku: sku.sku,
      condition: "NewItem",
      lastUpdatedTime: new Date(s.lastUpdatedMs).toISOString(),
      productName: sku.title,
      totalQuantity: total,
    };
    if (q.details === "true") {
      summary.inventoryDetails = {
        fulfillableQuantity: s.fulfillable,
        inboundWorkingQuantity: s.inboundWorking,
        inboundShippedQuantity: s.inboundShipped,
        inboundReceivingQuantity: s.inboundReceiving,
        reservedQuantity: { totalReservedQuantity: s.reservedCustomerOrders, pendingCustomerOrderQuantity: s.reservedCustomerOrders, pendingTransshipmentQuantity: 0, fcProcessingQuantity: 0 },
        researchingQuantity: {
          totalResearchingQuantity: s.researching,
          researchingQuantityBreakdown: [
            { name: "researchingQuantityInShortTerm", quantity: s.researching },
            { name: "researchingQuantityInMidTerm", quantity: 0 },
            { name: "researchingQuantityInLongTerm", quantity: 0 },
          ],
        },
        unfulfillableQuantity: {
          totalUnfulfillableQuantity: unsellable,
          customerDamagedQuantity: u.CUSTOMER_DAMAGED ?? 0,
          warehouseDamagedQuantity: u.WAREHOUSE_DAMAGED ?? 0,
          distributorDamagedQuantity: u.DISTRIBUTOR_DAMAGED ?? 0,
          carrierDamagedQuantity: u.CARRIER_DAMAGED ?? 0,
          defectiveQuantity: u.DEFECTIVE ?? 0,
          expiredQuantity: u.EXPIRED ?? 0,
        },
      };
    }
    out.push(summary);
  }
  return out;
}

export const getInventorySummaries: ApiHandler = async (ctx) => {
  const q = parseOrThrow(Query, ctx.query);
  const w = ctx.seller.world;
  const marketplaceId = q.marketplaceIds[0] ?? "";
  if (!w.seller.marketplaceIds.includes(marketplaceId)) throw invalidInput(`Invalid marketplaceId ${marketplaceId}.`);
  if (q.granularityId !== marketplaceId) throw invalidInput("granularityId must be the marketplaceId for granularityType Marketplace.");
  if (q.startDateTime && Date.parse(q.startDateTime) < ctx.clock.nowMs() - 548 * DAY_MS) {
    throw invalidInput("startDateTime cannot be earlier than 18 months before the request.");
  }
  const key = JSON.stringify({ ...q, nextToken: undefined });
  let offset = 0;
  if (q.nextToken) {
    const entry = ctx.seller.tokens.get<Cursor>("getInventorySummaries", q.nextToken);
    if (entry === "expired") throw invalidInput("The nextToken has expired. Tokens are valid for 30 seconds.");
    if (entry === "invalid") throw invalidInput("Invalid nextToken.");
    if (entry.state.key !== key) throw invalidInput("The nextToken does not match the request parameters; resend the same parameters (including startDateTime) with it.");
    offset = entry.state.offset;
  }
  const all = summaries(ctx, q);
  const body: Record<string, unknown> = {
    payload: { granularity: { granularityType: "Marketplace", granularityId: marketplaceId }, inventorySummaries: all.slice(offset, offset + PAGE_SIZE) },
  };
  if (offset + PAGE_SIZE < all.length) {
    body.pagination = { nextToken: ctx.seller.tokens.issue<Cursor>("getInventorySummaries", { offset: offset + PAGE_SIZE, key }, TOKEN_TTL_MS) };
  }
  return { status: 200, body };
};
