// Report rows that need more than one pass or the whole history: the ledger summary (balances from
// the world's start) and the settlement file (a summary row with the period total first).
import { settlementLines } from "../generator/settlements";
import type { LedgerRow } from "../generator/types";
import { CURRENCY, DAY_MS, skuAt } from "../generator/world";
import { streamWorldWithTicks, TICK } from "../generator/world-stream";
import { isoDate, money, settlementDateTime, usDate } from "./formats";
import type { ReportRow } from "./report-columns";
import type { RowContext } from "./row-context";

const n = (x: number) => String(x);

type Flow = "Receipts" | "Customer Shipments" | "Customer Returns" | "Vendor Returns" | "Warehouse Transfer In/Out" | "Found" | "Lost" | "Damaged" | "Disposed" | "Other Events";
const FLOWS: Flow[] = ["Receipts", "Customer Shipments", "Customer Returns", "Vendor Returns", "Warehouse Transfer In/Out", "Found", "Lost", "Damaged", "Disposed", "Other Events"];

function flowOf(row: LedgerRow): Flow {
  switch (row.eventType) {
    case "Receipts": return "Receipts";
    case "Shipments": return "Customer Shipments";
    case "CustomerReturns": return "Customer Returns";
    case "VendorReturns": return "Vendor Returns";
    case "WhseTransfers": return "Warehouse Transfer In/Out";
    default:
      if (row.reason === "F" || row.reason === "N") return "Found";
      if (row.reason === "M" || row.reason === "5") return "Lost";
      if ("E67HKUP".includes(row.reason) && row.reason !== "") return "Damaged";
      if (row.reason === "D" || row.reason === "G") return "Disposed";
      return "Other Events";
  }
}

function periodKey(ms: number, agg: string): { key: number; label: string } {
  const d = new Date(ms);
  if (agg === "DAILY") return { key: Math.floor(ms / DAY_MS), label: usDate(ms) };
  if (agg === "WEEKLY") {
    const start = Math.floor(ms / DAY_MS) - d.getUTCDay();
    return { key: start, label: usDate(start * DAY_MS) };
  }
  return { key: d.getUTCFullYear() * 12 + d.getUTCMonth(), label: `${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}` };
}

/** Balances need the whole history, so the summary streams from the world's start and emits only the window's periods. */
export function* ledgerSummary(ctx: RowContext): Iterable<ReportRow<"GET_LEDGER_SUMMARY_VIEW_DATA"> | null> {
  const { w } = ctx;
  const agg = (ctx.options.aggregatedByTimePeriod ?? "MONTHLY").toUpperCase();
  const balance = new Map<string, number>();
  for (const s of w.catalog) balance.set(`${s.idx}|SELLABLE`, s.initialStock);
  // Units that left one FC in a transfer and have not arrived at another (R17 reads this).
  const inTransit = new Map<string, number>();
  let current: { key: number; label: string } | null = null;
  let flows = new Map<string, Record<Flow, number>>();
  let starting = new Map<string, number>();
  const rows: Array<ReportRow<"GET_LEDGER_SUMMARY_VIEW_DATA">> = [];
  const flush = (p: { key: number; label: string }, inWindow: boolean) => {
    if (inWindow) {
      const keys = new Set([...flows.keys(), ...[...balance.entries()].filter(([, v]) => v !== 0).map(([k]) => k)]);
      for (const key of [...keys].sort()) {
        const [idx, disposition] = key.split("|");
        const sku = skuAt(w, Number(idx));
        const f = flows.get(key);
        const start = starting.get(key) ?? balance.get(key) ?? 0;
        const row = {
          Date: p.label, FNSKU: sku.fnsku, ASIN: sku.asin, MSKU: sku.sku, Title: sku.title, Disposition: disposition ?? "",
          "Starting Warehouse Balance": n(start), "In Transit Between Warehouses": n(Math.max(0, -(inTransit.get(key) ?? 0))),
        } as ReportRow<"GET_LEDGER_SUMMARY_VIEW_DATA">;
        for (const flow of FLOWS) row[flow] = n(f?.[flow] ?? 0);
        row["Ending Warehouse Balance"] = n(balance.get(key) ?? 0);
        row["Unknown Events"] = "0";
        row.Location = "US";
        rows.push(row);
      }
    }
    flows = new Map();
    starting = new Map();
  };
  const inWindow = (key: number) => {
    const from = periodKey(ctx.fromMs, agg).key;
    const to = periodKey(ctx.toMs - 1, agg).key;
    return key >= from && key <= to;
  };
  for (const ev of streamWorldWithTicks(w, { toMs: ctx.toMs, kinds: new Set(["ledger"]) })) {
    if (ev === TICK) {
      yield null;
      continue;
    }
    if (ev.kind !== "ledger") continue;
    const p = periodKey(ev.at, agg);
    if (!current || p.key !== current.key) {
      if (current) {
        flush(current, inWindow(current.key));
        yield* rows.splice(0);
      }
      current = p;
    }
    const key = `${ev.row.skuIdx}|${ev.row.disposition}`;
    if (!starting.has(key)) starting.set(key, balance.get(key) ?? 0);
    let f = flows.get(key);
    if (!f) flows.set(key, (f = Object.fromEntries(FLOWS.map((x) => [x, 0])) as Record<Flow, number>));
    f[flowOf(ev.row)] += ev.row.quantity;
    balance.set(key, (balance.get(key) ?? 0) + ev.row.quantity);
    if (ev.row.eventType === "WhseTransfers") inTransit.set(key, (inTransit.get(key) ?? 0) + ev.row.quantity);
  }
  if (current) {
    flush(current, inWindow(current.key));
    yield* rows.splice(0);
  }
}

export function* settlement(ctx: RowContext): Iterable<ReportRow<"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"> | null> {
  const p = ctx.settlement;
  if (!p) return;
  const opts = { fromMs: p.startMs, toMs: p.endMs, kinds: new Set(["fin"] as const) };
  let total = 0;
  for (const ev of streamWorldWithTicks(ctx.w, opts)) {
    if (ev === TICK) yield null;
    else if (ev.kind === "fin") for (const l of settlementLines(ctx.w, ev.ev)) total += l.amountMinor;
  }
  const empty = {
    "transaction-type": "", "order-id": "", "merchant-order-id": "", "adjustment-id": "", "shipment-id": "", "marketplace-name": "",
    "amount-type": "", "amount-description": "", amount: "", "fulfillment-id": "", "posted-date": "", "posted-date-time": "",
    "order-item-code": "", "merchant-order-item-id": "", "merchant-adjustment-item-id": "", sku: "", "quantity-purchased": "", "promotion-id": "",
  };
  yield {
    "settlement-id": p.settlementId, "settlement-start-date": settlementDateTime(p.startMs), "settlement-end-date": settlementDateTime(p.endMs),
    "deposit-date": settlementDateTime(p.depositMs), "total-amount": money(total), currency: CURRENCY, ...empty,
  };
  for (const ev of streamWorldWithTicks(ctx.w, opts)) {
    if (ev === TICK) {
      yield null;
      continue;
    }
    if (ev.kind !== "fin") continue;
    for (const l of settlementLines(ctx.w, ev.ev)) {
      yield {
        "settlement-id": p.settlementId, "settlement-start-date": "", "settlement-end-date": "", "deposit-date": "", "total-amount": "", currency: "",
        ...empty,
        "transaction-type": l.transactionType, "order-id": l.orderId, "adjustment-id": l.adjustmentId, "marketplace-name": "Amazon.com",
        "amount-type": l.amountType, "amount-description": l.amountDescription, amount: money(l.amountMinor), "fulfillment-id": l.fulfillmentId,
        "posted-date": isoDate(l.postedMs), "posted-date-time": settlementDateTime(l.postedMs), "order-item-code": l.orderItemCode,
        "merchant-adjustment-item-id": l.merchantAdjustmentItemId, sku: l.sku, "quantity-purchased": l.quantity,
      };
    }
  }
}

