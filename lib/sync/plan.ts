// What the sync pulls, as data: one entry per source. The engine runs any entry; adding a report type
// is one entry here, its row shape in lib/amazon/report-types.ts and its ledger table. Figures follow
// Amazon's documented contracts (docs/sync.md lists the sources): ask for the largest window a type
// accepts and split only when Amazon answers FATAL.
import type { ReportType } from "../amazon/report-types";

/** The seller-facing data-source cards each source feeds. */
export const DATA_SOURCE_GROUPS = {
  shipments: "Shipment Data",
  "fc-inventory": "Fulfillment Center Data",
  "sales-orders": "Sales & Order Data",
  returns: "Returns Data",
  reimbursements: "Reimbursements Data",
  fees: "Fees Data",
  settlements: "Settlements Data",
} as const;

export type DataSourceGroup = keyof typeof DATA_SOURCE_GROUPS;

interface EntryBase {
  /** Stable id (the DataSourceState and SyncTask key). */
  source: string;
  /** What a seller reads in the progress message: "Downloading <title>, Jan-Jun 2025". */
  title: string;
  group: DataSourceGroup;
  /** Lower runs first: the most valuable sources for claims lead. */
  priority: number;
  /** Ledger table (Prisma model) the rows land in. */
  table: string;
  /** The table's unique key, besides the seller connection id (held to the schema by a test). */
  naturalKey: readonly string[];
}

/** A report requested per date window (createReport → getReport → getReportDocument). */
export interface WindowedReportEntry extends EntryBase {
  kind: "report";
  reportType: ReportType;
  reportOptions?: Record<string, string>;
  /** How far back the historical sync reaches by default (Amazon keeps 18 months for these). */
  historyDays: number;
  /** Largest window to ask for; a FATAL window is split in halves down to `minWindowDays`. */
  maxWindowDays: number;
  minWindowDays: number;
  /** How long to wait before asking again after FATAL (Amazon's per-type regeneration limits). */
  fatalCooldownMinutes: number;
}

/** A snapshot report: no history, one request per sync, the rows stored per pull. */
export interface SnapshotReportEntry extends EntryBase {
  kind: "snapshot-report";
  reportType: ReportType;
  /** dataStartTime this far before now (the fee preview wants ≥ 72 h). */
  lookbackHours: number;
  fatalCooldownMinutes: number;
}

/** A report Amazon generates on its own schedule: listed with getReports, never requested. */
export interface ListedReportEntry extends EntryBase {
  kind: "listed-report";
  reportType: ReportType;
  /** getReports sees reports created in the last 90 days only. */
  listableDays: number;
}

/** An API read per date window (financial events, orders, inbound shipments). */
export interface WindowedApiEntry extends EntryBase {
  kind: "api";
  operation: "listFinancialEvents" | "getOrders" | "getShipments";
  historyDays: number;
  maxWindowDays: number;
  /**
   * Windows read side by side, each lane a child run of its own (default 1). A NextToken chain is
   * one request at a time; lanes keep the operation's usage plan busy while a page is being stored.
   */
  lanes?: number;
}

/** An API snapshot (FBA inventory summaries). */
export interface SnapshotApiEntry extends EntryBase {
  kind: "snapshot-api";
  operation: "getInventorySummaries";
}

export type PlanEntry = WindowedReportEntry | SnapshotReportEntry | ListedReportEntry | WindowedApiEntry | SnapshotApiEntry;

export const DEFAULT_HISTORY_DAYS = 548; // 18 months

export const SYNC_PLAN: readonly PlanEntry[] = [
  {
    kind: "report",
    source: "ledger-detail",
    title: "inventory ledger",
    group: "fc-inventory",
    priority: 1,
    reportType: "GET_LEDGER_DETAIL_VIEW_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 7,
    fatalCooldownMinutes: 30,
    table: "LedgerDetail",
    // Identical events can repeat within a day: the nth copy in a document is its own row.
    naturalKey: ["date", "fnsku", "eventType", "referenceId", "fulfillmentCenter", "disposition", "reason", "quantity", "occurrence"],
  },
  {
    kind: "report",
    source: "reimbursements",
    title: "reimbursements",
    group: "reimbursements",
    priority: 2,
    reportType: "GET_FBA_REIMBURSEMENTS_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 7,
    fatalCooldownMinutes: 240,
    table: "Reimbursement",
    naturalKey: ["reimbursementId", "fnsku", "sku"],
  },
  {
    kind: "report",
    source: "customer-returns",
    title: "customer returns",
    group: "returns",
    priority: 3,
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 7,
    fatalCooldownMinutes: 240,
    table: "CustomerReturn",
    naturalKey: ["orderId", "fnsku", "licensePlateNumber", "returnDate"],
  },
  {
    kind: "api",
    source: "financial-events",
    title: "financial events",
    group: "fees",
    priority: 4,
    operation: "listFinancialEvents",
    historyDays: DEFAULT_HISTORY_DAYS,
    // Amazon answers nothing for more than 180 days; smaller windows keep each NextToken chain
    // short enough to finish within the token's life in one step.
    maxWindowDays: 30,
    // 0.5 requests/s: four chains side by side keep the bucket drained while pages are stored.
    lanes: 4,
    table: "FinancialEvent",
    naturalKey: ["eventType", "eventKey"],
  },
  {
    kind: "report",
    source: "removal-orders",
    title: "removal orders",
    group: "fc-inventory",
    priority: 5,
    reportType: "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS, // no documented limit: one request, split on FATAL
    minWindowDays: 7,
    fatalCooldownMinutes: 30,
    table: "RemovalOrder",
    naturalKey: ["orderId", "fnsku", "disposition"],
  },
  {
    kind: "report",
    source: "removal-shipments",
    title: "removal shipments",
    group: "fc-inventory",
    priority: 6,
    reportType: "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS, // no documented limit: one request, split on FATAL
    minWindowDays: 7,
    fatalCooldownMinutes: 30,
    table: "RemovalShipment",
    naturalKey: ["orderId", "fnsku", "disposition", "trackingNumber"],
  },
  {
    kind: "api",
    source: "inbound-shipments",
    title: "inbound shipments",
    group: "shipments",
    priority: 7,
    operation: "getShipments",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: 90,
    table: "InboundShipment",
    naturalKey: ["shipmentId"],
  },
  {
    kind: "report",
    source: "all-orders",
    title: "orders",
    group: "sales-orders",
    priority: 8,
    reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: 30, // Amazon aborts longer all-orders windows
    minWindowDays: 1,
    fatalCooldownMinutes: 30,
    table: "OrderItem",
    // One row per order item, and an order can hold the same SKU on two items with nothing else to
    // tell them apart in the file: the nth such row of a document is its own row.
    naturalKey: ["amazonOrderId", "sku", "occurrence"],
  },
  {
    kind: "report",
    source: "customer-shipments",
    title: "customer shipments",
    group: "sales-orders",
    priority: 9,
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS, // no documented limit: one request, split on FATAL
    minWindowDays: 1,
    fatalCooldownMinutes: 30,
    table: "CustomerShipment",
    // Two units of one SKU shipped together can be two identical lines: the nth is its own row.
    naturalKey: ["amazonOrderId", "fnsku", "shipmentDate", "fulfillmentCenterId", "occurrence"],
  },
  {
    kind: "report",
    source: "replacements",
    title: "replacement shipments",
    group: "returns",
    priority: 10,
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 7,
    fatalCooldownMinutes: 240,
    table: "ReplacementShipment",
    naturalKey: ["replacementAmazonOrderId", "sku"],
  },
  {
    kind: "report",
    source: "ledger-summary",
    title: "inventory ledger summary",
    group: "fc-inventory",
    priority: 11,
    reportType: "GET_LEDGER_SUMMARY_VIEW_DATA",
    reportOptions: { aggregateByLocation: "COUNTRY", aggregatedByTimePeriod: "MONTHLY" },
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 31,
    fatalCooldownMinutes: 240,
    table: "LedgerSummary",
    naturalKey: ["date", "fnsku", "disposition", "location"],
  },
  {
    kind: "report",
    source: "storage-fees",
    title: "storage fees",
    group: "fees",
    priority: 12,
    reportType: "GET_FBA_STORAGE_FEE_CHARGES_DATA",
    historyDays: DEFAULT_HISTORY_DAYS,
    maxWindowDays: DEFAULT_HISTORY_DAYS,
    minWindowDays: 31,
    fatalCooldownMinutes: 240,
    table: "StorageFee",
    naturalKey: ["monthOfCharge", "fnsku", "fulfillmentCenter"],
  },
  {
    kind: "snapshot-report",
    source: "fee-preview",
    title: "FBA fee preview",
    group: "fees",
    priority: 13,
    reportType: "GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA",
    lookbackHours: 72,
    fatalCooldownMinutes: 240,
    table: "FeePreview",
    naturalKey: ["snapshotDate", "sku"],
  },
  {
    kind: "snapshot-report",
    source: "inventory-snapshot",
    title: "FBA inventory",
    group: "fc-inventory",
    priority: 14,
    reportType: "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
    lookbackHours: 0,
    fatalCooldownMinutes: 30,
    table: "InventorySnapshot",
    naturalKey: ["snapshotDate", "sku"],
  },
  {
    kind: "snapshot-api",
    source: "inventory-summaries",
    title: "FBA inventory summaries",
    group: "fc-inventory",
    priority: 15,
    operation: "getInventorySummaries",
    table: "InventorySummary",
    naturalKey: ["snapshotDate", "marketplaceId", "sellerSku"],
  },
  {
    kind: "listed-report",
    source: "settlements",
    title: "settlement reports",
    group: "settlements",
    priority: 16,
    reportType: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
    listableDays: 89,
    table: "SettlementLine",
    naturalKey: ["settlementId", "transactionType", "orderId", "adjustmentId", "orderItemCode", "amountType", "amountDescription"],
  },
];

export function planEntry(source: string): PlanEntry {
  const entry = SYNC_PLAN.find((e) => e.source === source);
  if (!entry) throw new RangeError(`No sync source ${source}`);
  return entry;
}

/** The plan in the order the sync pulls it. */
export function planByPriority(): PlanEntry[] {
  return [...SYNC_PLAN].sort((a, b) => a.priority - b.priority);
}

/** How many child runs read a source's windows side by side. */
export function lanesOf(source: string): number {
  const entry = planEntry(source);
  return entry.kind === "api" ? Math.max(1, entry.lanes ?? 1) : 1;
}
