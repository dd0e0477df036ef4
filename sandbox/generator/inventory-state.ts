// Inventory as it stands at the world's end, derived from the full ledger (the same stream the
// ledger reports use) plus in-flight inbound shipments and not-yet-shipped orders.
import { allShipments, receivedAt, shipmentStatusAt } from "./inbound";
import { streamWorld } from "./world-stream";
import { DAY_MS, type World } from "./world";

export interface SkuInventory {
  fulfillable: number;
  unsellable: Record<string, number>;
  reservedCustomerOrders: number;
  researching: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  lastUpdatedMs: number;
}

const cache = new WeakMap<World, SkuInventory[]>();

export function inventoryAtEnd(w: World): SkuInventory[] {
  const cached = cache.get(w);
  if (cached) return cached;
  const sellable = w.catalog.map((s) => s.initialStock);
  const inv: SkuInventory[] = w.catalog.map(() => ({
    fulfillable: 0, unsellable: {}, reservedCustomerOrders: 0, researching: 0,
    inboundWorking: 0, inboundShipped: 0, inboundReceiving: 0, lastUpdatedMs: w.startMs,
  }));
  for (const ev of streamWorld(w, { kinds: new Set(["ledger", "order"]) })) {
    if (ev.kind === "order") {
      const o = ev.order;
      if (o.status === "Shipped" && o.shipMs !== null && o.shipMs > w.endMs) {
        for (const item of o.items) {
          const s = inv[item.skuIdx];
          if (s) s.reservedCustomerOrders += item.quantity;
        }
      }
      continue;
    }
    if (ev.kind !== "ledger") continue;
    const row = ev.row;
    const s = inv[row.skuIdx];
    if (!s) continue;
    s.lastUpdatedMs = Math.max(s.lastUpdatedMs, row.atMs);
    if (row.disposition === "SELLABLE") sellable[row.skuIdx] = (sellable[row.skuIdx] ?? 0) + row.quantity;
    else s.unsellable[row.disposition] = (s.unsellable[row.disposition] ?? 0) + row.quantity;
    if (row.reason === "M" && row.atMs > w.endMs - 14 * DAY_MS) s.researching += row.unreconciled ?? 0;
  }
  for (const sh of allShipments(w)) {
    const { status } = shipmentStatusAt(sh, w.endMs);
    for (const line of sh.lines) {
      const s = inv[line.sku.idx];
      if (!s) continue;
      if (status === "WORKING") s.inboundWorking += line.shipped;
      else if (status === "IN_TRANSIT" || status === "SHIPPED") s.inboundShipped += line.shipped;
      else if (status === "CHECKED_IN" || status === "RECEIVING") s.inboundReceiving += Math.max(0, line.shipped - receivedAt(line, w.endMs));
    }
  }
  inv.forEach((s, i) => {
    s.fulfillable = Math.max(0, (sellable[i] ?? 0) - s.reservedCustomerOrders);
    for (const k of Object.keys(s.unsellable)) s.unsellable[k] = Math.max(0, s.unsellable[k] ?? 0);
  });
  cache.set(w, inv);
  return inv;
}
