// The text a seller pastes into a Seller Central case for one claim: plain and factual, naming the
// identifiers Amazon's case form asks for (SKU, FNSKU, ASIN, shipment, order, removal order, ledger
// reference, reimbursement ids), the dates and units, the records it rests on, the value claimed and
// its basis, the request, and the documents to attach. What the seller must do first (a document
// Amazon asks for that is not uploaded, a window to verify) comes in a note above the text.
import { money, unitsText } from "../format";
import { KIND_LABELS } from "../../documents/requirements";
import type { EvidenceRow } from "../types";
import type { Claim } from "./claim";

/** The report or API a ledger table is read from, as Seller Central names it. */
export const SOURCE_NAMES: Record<string, string> = {
  LedgerDetail: "Inventory Ledger report (detailed view)",
  LedgerSummary: "Inventory Ledger report (summary view)",
  Reimbursement: "Reimbursements report",
  CustomerReturn: "FBA customer returns report",
  RemovalOrder: "Removal order detail report",
  RemovalShipment: "Removal shipment detail report",
  InboundShipment: "Shipping queue (inbound shipment)",
  InboundShipmentItem: "Shipping queue (inbound shipment contents)",
  ReplacementShipment: "FBA replacements report",
  FinancialEvent: "Payments transaction (financial event)",
  OrderItem: "All Orders report",
  CustomerShipment: "Amazon-fulfilled shipments report",
  SettlementLine: "Settlement report",
};

/** What each value basis means, in words a case reader understands. */
const BASIS_TEXT: Record<string, string> = {
  "seller-cost": "our manufacturing (sourcing) cost per unit",
  "net-proceeds": "the average net proceeds per unit sold in the 90 days before the loss (sale price less referral and FBA fees)",
  "reimbursement-median": "the median amount per unit Amazon has reimbursed for this FNSKU",
  "sale-price-40pct": "an estimate: 40% of the average sale price per unit",
  "sale-price-minus-fees": "the refunded sale price less the referral fee credited back, per unit",
  "sale-price-minus-fees-shortfall": "the refunded sale price less fees, minus what the reimbursement paid",
  "order-price-minus-referral": "the order's item price less the referral fee, per unit",
  "order-price": "the order's item price per unit",
  "seller-cost-shortfall": "our manufacturing (sourcing) cost per unit, minus what the reimbursement paid per unit",
  "reversed-amount": "the amount the reversal took back",
  unvalued: "no value could be established from the reports",
};

export function basisText(basis: string): string {
  return BASIS_TEXT[basis] ?? basis;
}

type Facts = Record<string, unknown>;
const n = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0) || 0);
const s = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : String(v));

function identifierLines(c: Claim): string[] {
  const f = c.evidence.facts;
  const pairs: Array<[string, string | null]> = [
    ["SKU", c.sku],
    ["FNSKU", c.fnsku],
    ["ASIN", c.asin],
    ["Shipment ID", c.shipmentId],
    ["Fulfillment center", s(f.destinationFc) ?? s(f.fulfillmentCenter)],
    ["Order ID", c.orderId],
    ["Original order ID", c.ruleId === "R07" ? s(f.originalOrderId) : null],
    ["Replacement order ID", c.ruleId === "R07" ? s(f.replacementOrderId) : null],
    ["License plate number (LPN)", s(f.licensePlateNumber)],
    ["Removal order ID", c.removalOrderId],
    ["Inventory ledger reference ID", c.referenceId],
    ["Reimbursement ID", c.reimbursementId],
    ["Original reimbursement ID", c.ruleId === "R16" ? s(f.originalReimbursementId) : null],
    ["Date of the event", c.eventDate],
    ["Units", String(c.units)],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== null).map(([label, value]) => `${label}: ${value}`);
}

/** The paragraph saying what happened, by rule (the claim families' own facts). */
function whatHappened(c: Claim): string {
  const f: Facts = c.evidence.facts;
  const m = (minor: unknown) => money(n(minor), c.currency);
  const fnsku = c.fnsku ?? c.sku ?? "this item";
  switch (c.ruleId) {
    case "R01":
    case "R02": {
      const damaged = c.ruleId === "R02";
      const found = n(f.foundSameFnsku) + n(f.foundSiblingFnsku);
      return [
        `The Inventory Ledger report shows an Adjustments entry for FNSKU ${fnsku} at ${s(f.fulfillmentCenter) ?? "your fulfillment center"} on ${c.eventDate}` +
          `${c.referenceId ? ` (reference ID ${c.referenceId})` : ""}: ${unitsText(n(f.lost))} ${damaged ? "damaged in the warehouse" : "misplaced or lost"} (reason code ${s(f.reasonCode) ?? "?"}).`,
        f.unreconciledQuantity !== null && f.unreconciledQuantity !== undefined ? `Its unreconciled quantity is ${n(f.unreconciledQuantity)}.` : "",
        `Since then ${unitsText(found)} of this FNSKU or of another FNSKU of the same ASIN were found${damaged ? ` and ${unitsText(n(f.correctedToSellable))} returned to sellable` : ""}, and ${unitsText(n(f.reimbursed))} were reimbursed.`,
        `${unitsText(c.units)} remain neither ${damaged ? "reimbursed nor restored to sellable" : "found nor reimbursed"}.`,
      ]
        .filter(Boolean)
        .join(" ");
    }
    case "R15":
      return (
        `The Inventory Ledger report shows ${unitsText(n(f.disposed))} of FNSKU ${fnsku} ${s(f.reasonCode) === "G" ? "donated" : "disposed of"} ` +
        `(reason code ${s(f.reasonCode) ?? "?"}, disposition ${s(f.disposition) ?? "?"}) at ${s(f.fulfillmentCenter) ?? "your fulfillment center"} on ${c.eventDate}` +
        `${c.referenceId ? `, reference ID ${c.referenceId}` : ""}. We did not request this: no disposal or liquidation removal order of ours for this FNSKU covers ` +
        `${unitsText(c.units)} of them (${unitsText(n(f.coveredByOrders))} covered by our orders).`
      );
    case "R03":
      return [
        `We sent shipment ${c.shipmentId ?? "?"} to ${s(f.destinationFc) ?? "Amazon"} with ${unitsText(n(f.shipped))} of SKU ${c.sku ?? "?"}${c.fnsku ? ` (FNSKU ${c.fnsku})` : ""}.`,
        `${unitsText(n(f.received))} were received (the shipment's received quantity is ${n(f.receivedInboundApi)}; the Inventory Ledger shows ${n(f.receivedLedger)} received for this shipment).`,
        n(f.siblingOverage) > 0 ? `${unitsText(n(f.siblingOverage))} received on another FNSKU of the same product in this shipment are counted against the shortage.` : "",
        n(f.receivedUnderOtherShipments) > 0 ? `${unitsText(n(f.receivedUnderOtherShipments))} received under another shipment at the same fulfillment center are counted against it.` : "",
        n(f.reimbursed) > 0 ? `${unitsText(n(f.reimbursed))} were already reimbursed.` : "",
        `${unitsText(c.units)} remain missing.`,
        s(f.deliveredAbout) || s(f.closedAbout)
          ? `The shipment was delivered on or about ${s(f.deliveredAbout) ?? "?"} and its status is ${s(f.shipmentStatus) ?? "CLOSED"}${s(f.closedAbout) ? ` (closed on or about ${s(f.closedAbout)})` : ""}.`
          : "",
      ]
        .filter(Boolean)
        .join(" ");
    case "R04":
      return (
        `Order ${c.orderId ?? "?"}: the customer was refunded for ${unitsText(n(f.refunded))} of SKU ${c.sku ?? "?"} on ${s(f.refundDate) ?? c.eventDate}. ` +
        `The FBA customer returns report shows ${unitsText(n(f.returned))} returned for this order and SKU, and ${unitsText(n(f.reimbursed))} were reimbursed ` +
        `(reasons CustomerReturn, CustomerServiceIssue, ReturnAdjustment). ${unitsText(c.units)} were neither returned nor reimbursed; the claim window opened on ${c.opensAt}.`
      );
    case "R05":
      return (
        `Order ${c.orderId ?? "?"}: the customer's return${s(f.licensePlateNumber) ? ` (license plate number ${s(f.licensePlateNumber)})` : ""} was received on ${c.eventDate}` +
        `${s(f.fulfillmentCenter) ? ` at ${s(f.fulfillmentCenter)}` : ""} with the disposition ${s(f.disposition) ?? "?"}${s(f.returnReason) ? ` (return reason ${s(f.returnReason)})` : ""}: ` +
        `damaged by Amazon or its carrier, not by the customer. No reimbursement was found for this order${s(f.refundDate) ? `; the refund was issued on ${s(f.refundDate)}` : ""}.`
      );
    case "R07":
      return (
        `Amazon sent a replacement (order ${s(f.replacementOrderId) ?? "?"}) of ${unitsText(n(f.replaced))} of SKU ${c.sku ?? "?"} for original order ${s(f.originalOrderId) ?? c.orderId ?? "?"} on ${c.eventDate}. ` +
        `The FBA customer returns report shows ${unitsText(n(f.returned))} of the original returned, and ${unitsText(n(f.reimbursed))} were reimbursed. ` +
        `${unitsText(c.units)} of the original were neither returned nor reimbursed; the claim window opened on ${c.opensAt}.`
      );
    case "R08":
      return f.check === "c"
        ? `Reimbursement ${c.reimbursementId ?? "?"} (${s(f.reason) ?? "reimbursement"}) paid ${m(f.paidPerUnitMinor)} per unit for ${unitsText(n(f.cashUnits))} of SKU ${c.sku ?? "?"}. ` +
            `Our manufacturing (sourcing) cost is ${m(f.sellerUnitCostMinor)} per unit; since 31 March 2025 losses before a customer order are reimbursed at the sourcing cost. ` +
            `The shortfall is ${m(f.shortPerUnitMinor)} per unit.`
        : `Reimbursement ${c.reimbursementId ?? "?"} (${s(f.reason) ?? "reimbursement"}) for order ${c.orderId ?? "?"} paid ${m(f.paidMinor)} for ${unitsText(n(f.cashUnits))} of SKU ${c.sku ?? "?"}. ` +
            `The refunded sale price less fees for these units is ${m(f.expectedMinor)} (${m(f.expectedPerUnitMinor)} per unit). The shortfall is ${m(f.shortMinor)}.`;
    case "R14":
      return f.variant === "not-in-shipments"
        ? `Removal order ${c.removalOrderId ?? "?"} shows ${unitsText(n(f.shipped))} of FNSKU ${fnsku} as shipped, but the removal shipment detail report lists ` +
            `${unitsText(n(f.shippedPerShipmentDetail))} shipped. ${unitsText(n(f.missing))} have no shipment${n(f.reimbursed) > 0 ? `; ${unitsText(n(f.reimbursed))} were reimbursed` : ""}, ` +
            `and we did not receive them: ${unitsText(c.units)} remain missing.`
        : `Removal order ${c.removalOrderId ?? "?"} (status ${s(f.orderStatus) ?? "?"}) for FNSKU ${fnsku}: requested ${n(f.requested)}, cancelled ${n(f.cancelled)}, ` +
            `disposed ${n(f.disposed)}, shipped ${n(f.shipped)}, in process ${n(f.inProcess)}. ${unitsText(n(f.missing))} are not accounted for in the removal order detail report` +
            `${n(f.reimbursed) > 0 ? ` and ${unitsText(n(f.reimbursed))} were reimbursed` : ""}: ${unitsText(c.units)} remain unaccounted for.`;
    case "R16":
      return (
        `Reversal ${s(f.reversalId) ?? c.reimbursementId ?? "?"} took back ${m(f.reversedAmountMinor)} for ${unitsText(n(f.reversedUnits))} of reimbursement ${s(f.originalReimbursementId) ?? "?"}` +
        `${s(f.originalReason) ? ` (${s(f.originalReason)}` : ""}${s(f.originalApproval) ? `, approved on ${s(f.originalApproval)}` : ""}${s(f.originalReason) ? ")" : ""}. ` +
        `${s(f.why) ?? ""}`.trim()
      );
    default:
      return `${c.summary}. ${c.explanation}`.trim();
  }
}

/** What the seller asks Amazon for, by claim family. */
function request(c: Claim): string {
  const u = unitsText(c.units);
  switch (c.ruleId) {
    case "R01":
      return `Please investigate and reimburse the ${u} lost in your fulfillment center.`;
    case "R02":
      return `Please reimburse the ${u} damaged in your fulfillment center.`;
    case "R15":
      return `Please reimburse the ${u} disposed of without our authorization.`;
    case "R03":
      return `Please reconcile shipment ${c.shipmentId ?? ""} and reimburse the ${u} that were shipped but not received.`.replace("  ", " ");
    case "R04":
      return `Please reimburse the ${u} refunded to the customer and not returned.`;
    case "R05":
      return `Please reimburse the ${u} damaged while in Amazon's or its carrier's care.`;
    case "R07":
      return `Please reimburse the ${u} of the original order that were replaced and not returned.`;
    case "R08":
      return `Please re-evaluate reimbursement ${c.reimbursementId ?? ""} and pay the difference.`.replace("  ", " ");
    case "R14":
      return `Please locate or reimburse the ${u} of removal order ${c.removalOrderId ?? ""}.`.replace("  ", " ");
    case "R16":
      return `Please reinstate the reversed reimbursement: the units were not found or returned to our inventory.`;
    default:
      return `Please review and reimburse the ${u}.`;
  }
}

/** One record line: "2026-10-02 Inventory Ledger report (report 123, line 14): loss, reference ID R9, quantity -3". */
export function recordLine(row: EvidenceRow, currency: string): string {
  const where = [row.source ? `report ${row.source}` : null, row.line !== null && row.line !== undefined ? `line ${row.line}` : null].filter(Boolean).join(", ");
  const parts = [
    row.role,
    row.referenceId ? `reference ID ${row.referenceId}` : null,
    row.quantity !== null && row.quantity !== undefined ? `quantity ${row.quantity}` : null,
    row.amountMinor !== null && row.amountMinor !== undefined ? `amount ${money(row.amountMinor, currency)}` : null,
    row.note || null,
  ].filter(Boolean);
  return `- ${row.date ?? "(no date)"} ${SOURCE_NAMES[row.table] ?? row.table}${where ? ` (${where})` : ""}: ${parts.join(", ")}`;
}

/** The value claimed, with its arithmetic and basis. */
export function valueLine(c: Claim): string {
  const total = money(c.estimatedValueMinor, c.currency);
  if (c.valueBasis === "unvalued" || c.estimatedValueMinor === 0) return `Value: not established from the reports (${basisText(c.valueBasis)}).`;
  const perUnit = c.units > 0 && c.unitValueMinor > 0 ? `${unitsText(c.units)} x ${money(c.unitValueMinor, c.currency)} = ` : "";
  return `Amount claimed: ${perUnit}${total}, based on ${basisText(c.valueBasis)}.`;
}

/** What the seller must do before filing (not part of the text sent to Amazon). */
export function beforeFiling(c: Claim): string[] {
  const notes: string[] = [];
  for (const kind of c.documents.missing) {
    const about = kind === "proof-of-delivery" ? (c.shipmentId ? `shipment ${c.shipmentId}` : c.removalOrderId ? `removal order ${c.removalOrderId}` : "this claim") : c.sku ? `SKU ${c.sku}` : "this claim";
    notes.push(`Amazon asks for the ${KIND_LABELS[kind] ?? kind} on this kind of claim, and none is uploaded for ${about}. Upload it and attach it to the case.`);
  }
  if (c.windowVerify) {
    notes.push(`Amazon's sources do not settle the claim window for this kind of claim: check the deadline (${c.deadline ?? "none computed"}) in Seller Central before filing.`);
  }
  return notes;
}

/** The case text for one claim. */
export function caseText(c: Claim): string {
  const notes = beforeFiling(c);
  const records = c.evidence.rows.map((row) => recordLine(row, c.currency));
  const arithmetic = typeof c.evidence.facts.arithmetic === "string" ? c.evidence.facts.arithmetic : null;
  const attached = c.documents.documents.map((d) => `- ${d.fileName} (${KIND_LABELS[d.kind] ?? d.kind})`);
  const sections = [
    notes.length ? ["BEFORE FILING (a note for you; leave it out of the case):", ...notes.map((note) => `- ${note}`)].join("\n") : null,
    `Subject: ${c.title} (${c.units} ${c.units === 1 ? "unit" : "units"}${c.sku ? `, SKU ${c.sku}` : ""})`,
    identifierLines(c).join("\n"),
    whatHappened(c),
    records.length ? ["Records (from our Seller Central reports):", ...records].join("\n") : null,
    arithmetic ? `Calculation: ${arithmetic}` : null,
    valueLine(c),
    request(c),
    attached.length ? ["Attached:", ...attached].join("\n") : null,
  ];
  return sections.filter((section): section is string => Boolean(section)).join("\n\n") + "\n";
}
