// Finances v0 listFinancialEvents → FinancialEvent ledger rows, one page at a time.
//
// Rows. Every key of the payload's FinancialEvents object that ends in "EventList" (any case) and holds
// an array is read, the 34 lists of the model and any other (PerformanceBondRefundEventList, ...), in
// payload order; each element is one row. `eventType` is the key without "EventList", its first letter
// upper-cased (a camelCase `sellerDealPaymentEventList` is `SellerDealPayment`). Field names are matched
// case-insensitively (ProductAdsPaymentEvent and others send `postedDate`). `raw` is the event as sent.
//
// Keys. Amazon gives events no id, so `eventKey` = sha256 hex of the event's RFC 8785 canonical JSON
// (`canonicalize`: key order and number spelling do not matter) + `:n`, n = 1 for the first event of
// that type and digest met in the window, 2 for the second identical one, ... The counter is made once
// per window (`createEventKeyCounter`) and passed to every page of its NextToken chain, so identical
// events (two equal service fees in one window) are distinct rows and a re-read of the window gives the
// same keys. A chain read over several steps must carry the counter from step to step (it is a Map:
// `[...counter]` and `new Map(entries)`); a fresh counter mid-chain would give the next identical event
// `:1` again and its upsert would overwrite the first. Rejected events take no key.
//
// Typed columns. postedDate: PostedDate (PayWithAmazon: TransactionPostedDate; SolutionProviderCredit:
// TransactionCreationDate), UTC ISO. amazonOrderId, sellerOrderId, marketplaceName, adjustmentType
// (AdjustmentEvent), feeReason (ServiceFeeEvent): the top-level field of that name. sellerSku (SellerSKU,
// TrialShipment's SKU), fnsku (FnSKU or FulfillmentNetworkSKU), asin (ASIN): the event's own top-level
// field when it has one (ServiceFeeEvent), else the value every item of its item lists (ShipmentItemList,
// ShipmentItemAdjustmentList, AdjustmentItemList, RemovalShipmentItemList, ... any `*ItemList` or
// `*ItemAdjustmentList`) shares, else null (items disagree, or one lacks it). quantity: the sum of the
// items' Quantity / QuantityShipped / AdjustedQuantity, null when no item has one.
//
// Totals. totalAmount is the event's net in integer minor units of `currency`, found by walking the event:
// - every money value ({CurrencyCode, CurrencyAmount}, any case) is a leaf and counts, converted on its
//   shortest decimal text (no float arithmetic: 0.1 + 0.2 is 30 cents, JPY has no decimals), signed as
//   Amazon sends it (credits to the seller positive), then summed as integers;
// - an object that carries a summary amount counts only that and none of its other money, which is the
//   summary's breakdown (SUMMARY_FIELDS): AdjustmentEvent.AdjustmentAmount (the items are not added as
//   well); TotalAmount (AdjustmentItem: not PerUnitAmount × Quantity; Coupon/SellerReviewEnrollment:
//   not FeeComponent + ChargeComponent; SellerDealPayment: not feeAmount + taxAmount);
//   ProductAdsPayment.transactionValue (not baseValue + taxValue); Affordability TotalExpense (not
//   BaseExpense + the GST parts); SAFETReimbursement/TDS ReimbursedAmount (not the items' charges);
//   DebtRecovery RecoveryAmount (+ OverPaymentCredit; not the items or the charge instruments). A summary
//   field that is absent or null does not count, and then the breakdown is walked instead;
// - reference values never count (NOT_MONEY_MOVED): PerUnitAmount, RentalInitialValue (what the renter
//   once paid), TaxWithholding BaseAmount (what tax was withheld against), DebtRecoveryItem OriginalAmount;
// - the rest adds up: a ShipmentEvent's order, shipment and item charges, fees, promotions, direct
//   payments, taxes withheld (Amazon sends MarketplaceFacilitator tax withheld negative against the
//   positive tax charge) and cost of points; RemovalShipment Revenue + FeeAmount + TaxAmount + TaxWithheld;
//   FBALiquidation proceeds + fee; NetworkCommingling TaxExclusiveAmount + TaxAmount; and so on.
// `currency` is the one currency of the counted amounts; mixed currencies (or an amount without a
// currency) leave totalAmount and currency null, as does an event with no money at all.
//
// Malformed events (not an object, a field of the wrong type, an amount that is not a number) are
// returned in `rejected` with their line and reason; mapping never throws on payload content.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { FinancialEvents } from "../../amazon/models/finances";
import { amountToMinorUnits } from "../../amazon/report-values";
import {
  type ApiRows,
  dateTimeField,
  FieldError,
  fieldOf,
  isObject,
  itemText,
  type JsonObject,
  stringField,
  toInt,
} from "./ledger-row";

/** Identical events met so far in one window, by type and digest. Make one per window. */
export type EventKeyCounter = Map<string, number>;

export function createEventKeyCounter(): EventKeyCounter {
  return new Map();
}

/** Object keys whose money stands for all other money in the same object (see the rules above). */
const SUMMARY_FIELDS = new Set(
  ["AdjustmentAmount", "TotalAmount", "transactionValue", "TotalExpense", "ReimbursedAmount", "RecoveryAmount", "OverPaymentCredit"].map((k) =>
    k.toLowerCase(),
  ),
);

/** Money-shaped values that are references, not amounts moved by the event. */
const NOT_MONEY_MOVED = new Set(["PerUnitAmount", "RentalInitialValue", "BaseAmount", "OriginalAmount"].map((k) => k.toLowerCase()));

const EVENT_LIST = /eventlist$/i;
const ITEM_LIST = /item(?:adjustment)?list$/i;

/**
 * One page's FinancialEvents → rows (and rejected events), lines from `startLine` on in payload
 * order. `counter` is the window's (createEventKeyCounter), shared by every page of the chain.
 */
export function financialEventRows(events: FinancialEvents | null | undefined, counter: EventKeyCounter, startLine: number): ApiRows {
  const out: ApiRows = { rows: [], rejected: [], nextLine: startLine };
  if (!isObject(events)) return out;
  for (const [listKey, list] of Object.entries(events as JsonObject)) {
    if (!EVENT_LIST.test(listKey) || list === null || list === undefined) continue;
    if (!Array.isArray(list)) {
      out.rejected.push({ line: out.nextLine++, reason: `${listKey} is not a list`, text: itemText(list) });
      continue;
    }
    const eventType = eventTypeOf(listKey);
    for (const event of list as unknown[]) {
      const line = out.nextLine++;
      try {
        if (!isObject(event)) throw new FieldError(`${listKey} entry is not an object`);
        const data = eventData(eventType, event);
        // Keyed last: a rejected event must not use up an occurrence number.
        data.eventKey = nextEventKey(counter, eventType, event);
        out.rows.push({ line, data, raw: event });
      } catch (err) {
        out.rejected.push({ line, reason: `${eventType}: ${err instanceof Error ? err.message : String(err)}`, text: itemText(event) });
      }
    }
  }
  return out;
}

/** `ShipmentEventList` → `Shipment`, `sellerDealPaymentEventList` → `SellerDealPayment`. */
export function eventTypeOf(listKey: string): string {
  const base = listKey.slice(0, -"EventList".length);
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/** sha256 hex of the event's canonical JSON. */
export function eventDigest(event: unknown): string {
  const json = canonicalize(event);
  if (json === undefined) throw new FieldError("event has no JSON form");
  return createHash("sha256").update(json).digest("hex");
}

function nextEventKey(counter: EventKeyCounter, eventType: string, event: JsonObject): string {
  const digest = eventDigest(event);
  // A chain read over several steps keeps the counter in its task's cursor (jsonb, which refuses
  // U+0000): the slot is printable. An event type is a list key's stem, so it has no ':'.
  const slot = `${eventType}:${digest}`;
  const n = (counter.get(slot) ?? 0) + 1;
  counter.set(slot, n);
  return `${digest}:${n}`;
}

function eventData(eventType: string, event: JsonObject): JsonObject {
  const items = itemsOf(event);
  const total = eventTotal(event);
  return {
    eventType,
    eventKey: null, // set by the caller once the event is known to be well-formed
    postedDate: dateTimeField(event, "PostedDate", "TransactionPostedDate", "TransactionCreationDate"),
    amazonOrderId: stringField(event, "AmazonOrderId"),
    sellerOrderId: stringField(event, "SellerOrderId"),
    marketplaceName: stringField(event, "MarketplaceName"),
    adjustmentType: stringField(event, "AdjustmentType"),
    feeReason: stringField(event, "FeeReason"),
    sellerSku: stringField(event, "SellerSKU", "SKU") ?? sharedByItems(items, "SellerSKU", "SKU"),
    fnsku: stringField(event, "FnSKU", "FulfillmentNetworkSKU") ?? sharedByItems(items, "FnSKU", "FulfillmentNetworkSKU"),
    asin: stringField(event, "ASIN") ?? sharedByItems(items, "ASIN"),
    quantity: itemQuantity(items),
    totalAmount: total.amount,
    currency: total.currency,
  };
}

/** The elements of the event's item lists (`*ItemList`, `*ItemAdjustmentList`). */
function itemsOf(event: JsonObject): JsonObject[] {
  const items: JsonObject[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (!ITEM_LIST.test(key) || value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new FieldError(`${key} is not a list`);
    for (const item of value as unknown[]) {
      if (!isObject(item)) throw new FieldError(`${key} entry is not an object`);
      items.push(item);
    }
  }
  return items;
}

/** The value every item has for the field, or null when there are no items or they differ. */
function sharedByItems(items: JsonObject[], ...names: string[]): string | null {
  let shared: string | null = null;
  for (const item of items) {
    const v = stringField(item, ...names);
    if (v === null || (shared !== null && v !== shared)) return null;
    shared = v;
  }
  return shared;
}

function itemQuantity(items: JsonObject[]): number | null {
  let sum: number | null = null;
  for (const item of items) {
    for (const name of ["Quantity", "QuantityShipped", "AdjustedQuantity"]) {
      const v = fieldOf(item, name);
      if (v === undefined || v === null) continue;
      sum = (sum ?? 0) + toInt(v, name);
      break;
    }
  }
  return sum;
}

interface Total {
  amount: number | null;
  currency: string | null;
}

/** The event's net in minor units (rules at the top of the file). */
export function eventTotal(event: JsonObject): Total {
  const sums = new Map<string, bigint>();
  let unknownCurrency = false;
  const add = (money: JsonObject) => {
    const amount = fieldOf(money, "CurrencyAmount");
    if (amount === undefined || amount === null) return;
    const code = fieldOf(money, "CurrencyCode");
    if (code !== undefined && code !== null && typeof code !== "string") throw new FieldError(`CurrencyCode is not a string: ${itemText(code).slice(0, 60)}`);
    if (typeof amount !== "number" && typeof amount !== "string") throw new FieldError(`CurrencyAmount is not a number: ${itemText(amount).slice(0, 60)}`);
    const currency = typeof code === "string" && code.trim() !== "" ? code.trim().toUpperCase() : null;
    let units: number;
    try {
      units = amountToMinorUnits(amount, currency);
    } catch {
      throw new FieldError(`CurrencyAmount is not a number: ${itemText(amount).slice(0, 60)}`);
    }
    if (currency === null) {
      unknownCurrency = true;
      return;
    }
    sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(units));
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!isObject(node)) return;
    if (isMoney(node)) {
      add(node);
      return;
    }
    const keys = Object.keys(node);
    const summaries = keys.filter((k) => SUMMARY_FIELDS.has(k.toLowerCase()) && isMoney(node[k]) && hasAmount(node[k] as JsonObject));
    if (summaries.length > 0) {
      for (const k of summaries) add(node[k] as JsonObject);
      return;
    }
    for (const k of keys) if (!NOT_MONEY_MOVED.has(k.toLowerCase())) walk(node[k]);
  };
  walk(event);
  if (unknownCurrency || sums.size !== 1) return { amount: null, currency: null };
  const [currency, sum] = [...sums][0]!;
  if (sum > BigInt(Number.MAX_SAFE_INTEGER) || sum < -BigInt(Number.MAX_SAFE_INTEGER)) throw new FieldError("total out of range");
  return { amount: Number(sum), currency };
}

function isMoney(v: unknown): v is JsonObject {
  return isObject(v) && fieldOf(v, "CurrencyAmount") !== undefined;
}

function hasAmount(money: JsonObject): boolean {
  const amount = fieldOf(money, "CurrencyAmount");
  return amount !== undefined && amount !== null;
}
