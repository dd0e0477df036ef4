// Inventory as it stands at the world's end, derived from the full ledger (the same stream the
// ledger reports use) plus in-flight inbound shipments and not-yet-shipped orders.
import { allShipments, receivedAt, shipmentStatusAt } from "./inbound";
import { streamWorld } from "./world-stream";
import type { WorldEvent, WorldEventKind } from "./types";
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

/** Folds ledger and order events (in time order) into the inventory at the world's end. */
export class InventoryAccumulator {
  private readonly sellable: number[];
  private readonly inv: SkuInventory[];

  constructor(private readonly w: World) {
    this.sellable = w.catalog.map((s) => s.initialStock);
    this.inv = w.catalog.map(() => ({
      fulfillable: 0, unsellable: {}, reservedCustomerOrders: 0, researching: 0,
      inboundWorking: 0, inboundShipped: 0, inboundReceiving: 0, lastUpdatedMs: w.startMs,
    }));
  }

  add(ev: WorldEvent): void {
    const w = this.w;
    if (ev.kind === "order") {
      const o = ev.order;
      if (o.status === "Shipped" && o.shipMs !== null && o.shipMs > w.endMs) {
        for (const item of o.items) {
          const s = this.inv[item.skuIdx];
          if (s) s.reservedCustomerOrders += item.quantity;
        }
      }
      return;
    }
    if (ev.kind !== "ledger") return;
    const row = ev.row;
    const s = this.inv[row.skuIdx];
    if (!s) return;
    s.lastUpdatedMs = Math.max(s.lastUpdatedMs, row.atMs);
    if (row.disposition === "SELLABLE") this.sellable[row.skuIdx] = (this.sellable[row.skuIdx] ?? 0) + row.quantity;
    else s.unsellable[row.disposition] = (s.unsellable[row.disposition] ?? 0) + row.quantity;
    if (row.reason === "M" && row.atMs > w.endMs - 14 * DAY_MS) s.researching += row.unreconciled ?? 0;
  }

  finish(): SkuInventory[] {
    const { w, inv } = this;
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
      s.fulfillable = Math.max(0, (this.sellable[i] ?? 0) - s.reservedCustomerOrders);
      for (const k of Object.keys(s.unsellable)) s.unsellable[k] = Math.max(0, s.unsellable[k] ?? 0);
    });
    cache.set(w, inv);
    return inv;
  }
}

export const INVENTORY_KINDS = new Set<WorldEventKind>(["ledger", "order"]);

export function inventoryAtEnd(w: World): SkuInventory[] {
  const cached = cache.get(w);
  if (cached) return cached;
  const acc = new InventoryAccumulator(w);
  for (const ev of streamWorld(w, { kinds: INVENTORY_KINDS })) acc.add(ev);
  return acc.finish();
}
