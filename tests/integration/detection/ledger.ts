// Small ledgers for detection tests: a seller of its own and typed rows with the bookkeeping columns
// filled in (raw, source, line, synced at a fixed instant unless a test says otherwise).
import { db } from "@/lib/db";
import { createUser, sellingPartnerId } from "../../support/factories";

export const SYNCED_AT = new Date("2026-11-01T00:00:00.000Z");

export async function newSeller(marketplaceIds: string[] = ["ATVPDKIKX0DER"]): Promise<string> {
  const user = await createUser("detect");
  const seller = await db.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds } });
  return seller.id;
}

let line = 0;
const book = (sellerConnectionId: string, syncedAt?: Date) => ({
  sellerConnectionId,
  raw: {},
  sourceReport: "test",
  sourceLine: ++line,
  syncedAt: syncedAt ?? SYNCED_AT,
});

const day = (d: string) => new Date(`${d}T00:00:00.000Z`);
const at = (d: string) => new Date(d.length === 10 ? `${d}T12:00:00.000Z` : d);

export interface LedgerRowInput {
  date: string;
  fnsku: string;
  asin?: string;
  msku?: string;
  eventType?: string;
  referenceId?: string;
  quantity: number;
  fulfillmentCenter?: string;
  disposition?: string;
  reason?: string;
  country?: string;
  reconciledQuantity?: number | null;
  unreconciledQuantity?: number | null;
  syncedAt?: Date;
}

export function ledgerFor(sellerConnectionId: string) {
  return {
    async detail(...rows: LedgerRowInput[]) {
      for (const r of rows) {
        await db.ledgerDetail.create({
          data: {
            ...book(sellerConnectionId, r.syncedAt),
            date: day(r.date),
            fnsku: r.fnsku,
            asin: r.asin ?? null,
            msku: r.msku ?? null,
            eventType: r.eventType ?? "Adjustments",
            referenceId: r.referenceId ?? `ref-${line}`,
            quantity: r.quantity,
            fulfillmentCenter: r.fulfillmentCenter ?? "PHX7",
            disposition: r.disposition ?? "SELLABLE",
            reason: r.reason ?? "",
            country: r.country ?? "US",
            reconciledQuantity: r.reconciledQuantity ?? null,
            unreconciledQuantity: r.unreconciledQuantity ?? null,
          },
        });
      }
    },
    async reimbursement(r: {
      reimbursementId: string;
      approvalDate: string;
      reason: string;
      fnsku?: string;
      sku?: string;
      asin?: string;
      amazonOrderId?: string;
      amountPerUnit?: number;
      amountTotal?: number;
      cash?: number;
      inventory?: number;
      currency?: string;
      originalReimbursementId?: string;
      originalReimbursementType?: string;
      caseId?: string;
      syncedAt?: Date;
    }) {
      const cash = r.cash ?? 1;
      const inventory = r.inventory ?? 0;
      await db.reimbursement.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          reimbursementId: r.reimbursementId,
          approvalDate: at(r.approvalDate),
          reason: r.reason,
          fnsku: r.fnsku ?? "",
          sku: r.sku ?? "",
          asin: r.asin ?? null,
          amazonOrderId: r.amazonOrderId ?? null,
          currencyUnit: r.currency ?? "USD",
          amountPerUnit: r.amountPerUnit ?? null,
          amountTotal: r.amountTotal ?? (r.amountPerUnit !== undefined ? r.amountPerUnit * Math.abs(cash) : null),
          quantityReimbursedCash: cash,
          quantityReimbursedInventory: inventory,
          quantityReimbursedTotal: cash + inventory,
          originalReimbursementId: r.originalReimbursementId ?? null,
          originalReimbursementType: r.originalReimbursementType ?? null,
          caseId: r.caseId ?? null,
        },
      });
    },
    async customerReturn(r: { returnDate: string; orderId: string; sku?: string; fnsku?: string; asin?: string; quantity?: number; disposition: string; lpn?: string; status?: string; reason?: string; syncedAt?: Date }) {
      await db.customerReturn.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          returnDate: at(r.returnDate),
          orderId: r.orderId,
          sku: r.sku ?? null,
          fnsku: r.fnsku ?? "",
          asin: r.asin ?? null,
          quantity: r.quantity ?? 1,
          detailedDisposition: r.disposition,
          licensePlateNumber: r.lpn ?? "",
          status: r.status ?? null,
          reason: r.reason ?? null,
        },
      });
    },
    async financialEvent(r: { eventType: string; postedDate: string; amazonOrderId?: string; raw: Record<string, unknown>; sellerSku?: string; syncedAt?: Date }) {
      await db.financialEvent.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          raw: r.raw as never,
          eventType: r.eventType,
          eventKey: `k-${line}`,
          postedDate: at(r.postedDate),
          amazonOrderId: r.amazonOrderId ?? null,
          sellerSku: r.sellerSku ?? null,
        },
      });
    },
    async orderItem(r: { amazonOrderId: string; sku: string; purchaseDate: string; quantity?: number; itemPrice?: number; fulfillmentChannel?: string; currency?: string; syncedAt?: Date }) {
      await db.orderItem.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          amazonOrderId: r.amazonOrderId,
          sku: r.sku,
          purchaseDate: at(r.purchaseDate),
          quantity: r.quantity ?? 1,
          itemPrice: r.itemPrice ?? null,
          currency: r.currency ?? "USD",
          fulfillmentChannel: r.fulfillmentChannel ?? "Amazon",
          occurrence: 1,
        },
      });
    },
    async inboundShipment(r: { shipmentId: string; status: string; fc?: string; syncedAt?: Date }) {
      await db.inboundShipment.create({
        data: { ...book(sellerConnectionId, r.syncedAt), shipmentId: r.shipmentId, shipmentStatus: r.status, destinationFulfillmentCenterId: r.fc ?? "PHX7" },
      });
    },
    async inboundItem(r: { shipmentId: string; sku: string; fnsku?: string; shipped: number; received: number; inCase?: number; syncedAt?: Date }) {
      await db.inboundShipmentItem.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          shipmentId: r.shipmentId,
          sellerSku: r.sku,
          fnsku: r.fnsku ?? null,
          quantityShipped: r.shipped,
          quantityReceived: r.received,
          quantityInCase: r.inCase ?? 0,
        },
      });
    },
    async removalOrder(r: {
      orderId: string;
      fnsku: string;
      sku?: string;
      orderType: string;
      orderStatus: string;
      requestDate: string;
      lastUpdatedDate?: string;
      disposition?: string;
      requested: number;
      cancelled?: number;
      disposed?: number;
      shipped?: number;
      inProcess?: number;
      syncedAt?: Date;
    }) {
      await db.removalOrder.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          orderId: r.orderId,
          fnsku: r.fnsku,
          sku: r.sku ?? null,
          orderType: r.orderType,
          orderStatus: r.orderStatus,
          requestDate: at(r.requestDate),
          lastUpdatedDate: r.lastUpdatedDate ? at(r.lastUpdatedDate) : null,
          disposition: r.disposition ?? "SELLABLE",
          requestedQuantity: r.requested,
          cancelledQuantity: r.cancelled ?? 0,
          disposedQuantity: r.disposed ?? 0,
          shippedQuantity: r.shipped ?? 0,
          inProcessQuantity: r.inProcess ?? 0,
        },
      });
    },
    async removalShipment(r: { orderId: string; fnsku: string; sku?: string; shipmentDate: string; shipped: number; tracking?: string; disposition?: string; syncedAt?: Date }) {
      await db.removalShipment.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          orderId: r.orderId,
          fnsku: r.fnsku,
          sku: r.sku ?? null,
          shipmentDate: at(r.shipmentDate),
          shippedQuantity: r.shipped,
          trackingNumber: r.tracking ?? `T-${line}`,
          disposition: r.disposition ?? "SELLABLE",
        },
      });
    },
    async replacement(r: { shipmentDate: string; sku: string; replacementOrderId: string; originalOrderId: string; quantity?: number; reasonCode?: string; syncedAt?: Date }) {
      await db.replacementShipment.create({
        data: {
          ...book(sellerConnectionId, r.syncedAt),
          shipmentDate: at(r.shipmentDate),
          sku: r.sku,
          quantity: r.quantity ?? 1,
          replacementReasonCode: r.reasonCode ?? null,
          replacementAmazonOrderId: r.replacementOrderId,
          originalAmazonOrderId: r.originalOrderId,
        },
      });
    },
    async unitCost(sku: string, unitCostMinor: number, hasInvoice = false) {
      await db.skuUnitCost.upsert({
        where: { sellerConnectionId_sku: { sellerConnectionId, sku } },
        create: { sellerConnectionId, sku, unitCostMinor, currency: "USD", source: "manual", hasInvoice },
        update: { unitCostMinor, hasInvoice },
      });
    },
    async sourcePulled(...sources: string[]) {
      for (const source of sources) {
        await db.dataSourceState.upsert({
          where: { sellerConnectionId_source: { sellerConnectionId, source } },
          create: { sellerConnectionId, source, lastPulledAt: SYNCED_AT, health: "ok" },
          update: { lastPulledAt: SYNCED_AT },
        });
      }
    },
  };
}

export async function detectionsOf(sellerConnectionId: string, ruleId?: string) {
  return db.detection.findMany({ where: { sellerConnectionId, ...(ruleId ? { ruleId } : {}) }, orderBy: { fingerprint: "asc" } });
}

export async function setAsidesOf(sellerConnectionId: string, ruleId?: string) {
  return db.detectionSetAside.findMany({ where: { sellerConnectionId, ...(ruleId ? { ruleId } : {}) }, orderBy: { fingerprint: "asc" } });
}
