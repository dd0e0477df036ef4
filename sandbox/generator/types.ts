// Shared shapes of the synthetic world. Money is integer minor units (USD cents) everywhere.

export type RuleId =
  | "R01" | "R02" | "R03" | "R04" | "R05" | "R06" | "R07" | "R08" | "R09"
  | "R10" | "R11" | "R12" | "R13" | "R14" | "R15" | "R16" | "R17" | "R18";

export const RULE_IDS: readonly RuleId[] = [
  "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09",
  "R10", "R11", "R12", "R13", "R14", "R15", "R16", "R17", "R18",
];

export type Category = "hard" | "apparel" | "electronics" | "consumable";

/** Volumes of a seller size (SIZES in world.ts). Here, not in world.ts, because catalog.ts needs it and world.ts needs the catalog. */
export interface SizeProfile {
  skus: number;
  months: number;
  ordersPerDay: number;
}

export interface Sku {
  idx: number;
  sku: string;
  fnsku: string;
  asin: string;
  title: string;
  category: Category;
  priceMinor: number;
  /** Seller's sourcing cost (what pre-order losses are worth since 2025-03-31). */
  costMinor: number;
  /** Category referral rate in basis points. */
  referralBp: number;
  /** Referral rate actually charged (differs for an R13 miscategorised SKU). */
  chargedReferralBp: number;
  /** True FBA per-unit fulfillment fee for the real size tier. */
  fbaFeeMinor: number;
  sizeTier: string;
  dims: { longest: number; median: number; shortest: number; weightLb: number };
  /** Relative demand weight. */
  demand: number;
  /** Another FNSKU of the same ASIN (found units may land there). */
  siblingIdx?: number;
  /** Inbound shipment group (about five SKUs ship together). */
  group: number;
  /** R11: days during which Amazon charged a wrong (larger) size tier. */
  feeEpisode?: { fromDay: number; toDay: number; excessMinor: number; wrongTier: string };
  initialStock: number;
}

export interface OrderItem {
  orderItemId: string;
  skuIdx: number;
  quantity: number;
  /** Principal for the whole line. */
  principalMinor: number;
  taxMinor: number;
}

export interface Order {
  amazonOrderId: string;
  purchaseMs: number;
  lastUpdateMs: number;
  status: "Shipped" | "Canceled";
  fc: string;
  shipMs: number | null;
  items: OrderItem[];
}

export interface LedgerRow {
  atMs: number;
  skuIdx: number;
  eventType: "Shipments" | "Receipts" | "CustomerReturns" | "WhseTransfers" | "VendorReturns" | "Adjustments";
  referenceId: string;
  quantity: number;
  fc: string;
  disposition: string;
  reason: string;
  reconciled: number | null;
  unreconciled: number | null;
}

export interface MoneyLine {
  type: string;
  amountMinor: number;
}

export interface FinItem {
  skuIdx: number;
  orderItemId: string;
  adjustmentItemId?: string;
  quantity: number;
  charges: MoneyLine[];
  fees: MoneyLine[];
}

export type FinEvent =
  | { type: "Shipment" | "Refund"; orderId: string; postedMs: number; items: FinItem[] }
  | {
      type: "Adjustment";
      adjustmentType: string;
      /** Settlement amount-description (WAREHOUSE_LOST, ...). */
      settlementDescription: string;
      postedMs: number;
      orderId?: string;
      items: Array<{ skuIdx: number; quantity: number; perUnitMinor: number; totalMinor: number }>;
    }
  | {
      type: "ServiceFee";
      postedMs: number;
      feeType: string;
      feeDescription: string;
      amountMinor: number;
      skuIdx?: number;
      /** Natural key of the charge (month or shipment id) so duplicates are recognisable. */
      chargeKey: string;
    };

export interface ReimbursementRow {
  approvalMs: number;
  reimbursementId: string;
  caseId: string;
  amazonOrderId: string;
  reason: string;
  skuIdx: number;
  condition: string;
  amountPerUnitMinor: number;
  amountTotalMinor: number;
  quantityCash: number;
  quantityInventory: number;
  originalReimbursementId: string;
  originalReimbursementType: string;
}

export interface ReturnRow {
  returnMs: number;
  orderId: string;
  skuIdx: number;
  quantity: number;
  fc: string;
  disposition: string;
  reason: string;
  status: string;
  lpn: string;
}

export interface ReplacementRow {
  shipmentMs: number;
  skuIdx: number;
  fc: string;
  originalFc: string;
  quantity: number;
  reasonCode: string;
  replacementOrderId: string;
  originalOrderId: string;
}

export interface RemovalOrderRow {
  requestMs: number;
  orderId: string;
  orderType: "Return" | "Disposal";
  status: string;
  lastUpdatedMs: number;
  skuIdx: number;
  disposition: string;
  requested: number;
  cancelled: number;
  disposed: number;
  shipped: number;
  inProcess: number;
  removalFeeMinor: number;
}

export interface RemovalShipmentRow {
  requestMs: number;
  orderId: string;
  shipmentMs: number;
  skuIdx: number;
  disposition: string;
  shipped: number;
  carrier: string;
  tracking: string;
}

export interface SaleRow {
  shipmentMs: number;
  skuIdx: number;
  fc: string;
  quantity: number;
  orderId: string;
  pricePerUnitMinor: number;
}

export interface StorageFeeRow {
  monthStartMs: number;
  skuIdx: number;
  fc: string;
  averageQuantity: number;
  feeMinor: number;
}

export interface GroundTruthRecord {
  id: string;
  rule: RuleId;
  /** claim = planted discrepancy a detector should find; control = look-alike it must not flag. */
  kind: "claim" | "control";
  variant: string;
  sellingPartnerId: string;
  marketplaceId: string;
  keys: Record<string, string>;
  quantity: number;
  expectedValueMinor: number;
  currency: string;
  anchorDate: string;
  opensAt: string;
  deadline: string;
  status: "waiting" | "open" | "expired";
  note?: string;
}

export type WorldEvent =
  | { kind: "order"; at: number; order: Order }
  | { kind: "ledger"; at: number; row: LedgerRow }
  | { kind: "fin"; at: number; ev: FinEvent }
  | { kind: "return"; at: number; row: ReturnRow }
  | { kind: "reimbursement"; at: number; row: ReimbursementRow }
  | { kind: "replacement"; at: number; row: ReplacementRow }
  | { kind: "removalOrder"; at: number; row: RemovalOrderRow }
  | { kind: "removalShipment"; at: number; row: RemovalShipmentRow }
  | { kind: "sale"; at: number; row: SaleRow }
  | { kind: "storageFee"; at: number; row: StorageFeeRow }
  | { kind: "truth"; at: number; rec: GroundTruthRecord };

export type WorldEventKind = WorldEvent["kind"];
