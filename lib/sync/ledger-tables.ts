// The ledger tables' columns as data, for the code that writes them (lib/sync/ingest/) and the one that
// generates their schema (scripts/db/ledger-schema.ts). Report-backed tables derive from the sync plan
// (table, natural key) and the report's declared row shape (lib/amazon/report-types.ts): the same
// derivation writes prisma/schema/ledger-reports.prisma. The API-fed tables are declared by hand to
// match prisma/schema/ledger-api.prisma. tests/integration/sync/ledger-tables.test.ts holds every table
// declared here to the migrated database (columns, types, nullability, unique key).
//
// Every ledger table also has the bookkeeping columns, not listed in `columns`: id, sellerConnectionId,
// snapshotDate (snapshot tables), occurrence (tables whose key counts identical rows), raw, sourceReport,
// sourceLine, syncedAt, isSandbox.
import { REPORT_DEFINITIONS, type ColumnKind, type ReportType } from "../amazon/report-types";
import { SYNC_PLAN, type PlanEntry } from "./plan";

export type LedgerColumnKind = ColumnKind;

export interface LedgerColumn {
  /** The Prisma (and SQL) column name; rows carry their values under it. */
  name: string;
  kind: LedgerColumnKind;
  /** Part of the unique key: NOT NULL in the table (an empty text key is stored as ""). */
  inKey: boolean;
}

export interface LedgerTable {
  /** The Prisma model, also the SQL table name (quoted). */
  table: string;
  /** The plan source that feeds it (InboundShipmentItem is fed alongside inbound-shipments: none). */
  source: string | undefined;
  /** Report-backed tables: the report whose rows they hold. */
  reportType: ReportType | undefined;
  /** Plan kind of the source ("report", "snapshot-report", "api", ...); "api" for InboundShipmentItem. */
  kind: PlanEntry["kind"];
  /** The typed columns, in table order (bookkeeping columns excluded, see the file's header). */
  columns: readonly LedgerColumn[];
  /** The unique key besides sellerConnectionId: the plan's natural key (may name snapshotDate, occurrence). */
  keyColumns: readonly string[];
  /** The key includes `occurrence`: the nth identical row of a document is its own row. */
  hasOccurrence: boolean;
  /** Rows are kept per pull day in `snapshotDate` (part of the key). */
  hasSnapshotDate: boolean;
}

type ReportBacked = Extract<PlanEntry, { reportType: unknown }>;

function reportTable(entry: ReportBacked): LedgerTable {
  const definition = REPORT_DEFINITIONS[entry.reportType];
  const columns = (Object.entries(definition.columns) as [string, { kind: ColumnKind }][]).map(([name, spec]) => ({
    name,
    kind: spec.kind,
    inKey: entry.naturalKey.includes(name),
  }));
  return {
    table: entry.table,
    source: entry.source,
    reportType: entry.reportType,
    kind: entry.kind,
    columns,
    keyColumns: entry.naturalKey,
    hasOccurrence: entry.naturalKey.includes("occurrence"),
    hasSnapshotDate: entry.kind === "snapshot-report",
  };
}

type ApiColumns = Record<string, LedgerColumnKind>;

/** The API-fed tables' typed columns, as in prisma/schema/ledger-api.prisma. */
const API_TABLES: Record<string, { columns: ApiColumns; keyColumns?: readonly string[]; hasSnapshotDate: boolean }> = {
  FinancialEvent: {
    columns: {
      eventType: "text",
      eventKey: "text",
      postedDate: "dateTime",
      amazonOrderId: "text",
      sellerOrderId: "text",
      marketplaceName: "text",
      adjustmentType: "text",
      feeReason: "text",
      sellerSku: "text",
      fnsku: "text",
      asin: "text",
      quantity: "int",
      totalAmount: "money",
      currency: "text",
    },
    hasSnapshotDate: false,
  },
  InboundShipment: {
    columns: {
      shipmentId: "text",
      shipmentName: "text",
      shipmentStatus: "text",
      destinationFulfillmentCenterId: "text",
      labelPrepType: "text",
      areCasesRequired: "bool",
      confirmedNeedByDate: "date",
      boxContentsSource: "text",
    },
    hasSnapshotDate: false,
  },
  InboundShipmentItem: {
    columns: {
      shipmentId: "text",
      sellerSku: "text",
      fnsku: "text",
      quantityShipped: "int",
      quantityReceived: "int",
      quantityInCase: "int",
      releaseDate: "date",
    },
    // Not a plan source of its own (its rows come with each inbound shipment): its key is declared here.
    keyColumns: ["shipmentId", "sellerSku"],
    hasSnapshotDate: false,
  },
  InventorySummary: {
    columns: {
      marketplaceId: "text",
      sellerSku: "text",
      fnsku: "text",
      asin: "text",
      condition: "text",
      totalQuantity: "int",
      fulfillableQuantity: "int",
      inboundWorkingQuantity: "int",
      inboundShippedQuantity: "int",
      inboundReceivingQuantity: "int",
      reservedQuantity: "int",
      researchingQuantity: "int",
      unfulfillableQuantity: "int",
      warehouseDamagedQuantity: "int",
      lastUpdatedTime: "dateTime",
    },
    hasSnapshotDate: true,
  },
};

function apiTable(table: string, entry: PlanEntry | undefined): LedgerTable {
  const spec = API_TABLES[table];
  if (!spec) throw new RangeError(`No API ledger table ${table}`);
  const keyColumns = entry?.naturalKey ?? spec.keyColumns;
  if (!keyColumns) throw new RangeError(`Ledger table ${table} has no key`);
  return {
    table,
    source: entry?.source,
    reportType: undefined,
    kind: entry?.kind ?? "api",
    columns: Object.entries(spec.columns).map(([name, kind]) => ({ name, kind, inKey: keyColumns.includes(name) })),
    keyColumns,
    hasOccurrence: keyColumns.includes("occurrence"),
    hasSnapshotDate: spec.hasSnapshotDate,
  };
}

function buildTables(): LedgerTable[] {
  const tables: LedgerTable[] = [];
  for (const entry of SYNC_PLAN) {
    if ("reportType" in entry) tables.push(reportTable(entry));
    else tables.push(apiTable(entry.table, entry));
    if (entry.table === "InboundShipment") tables.push(apiTable("InboundShipmentItem", undefined));
  }
  const apiInPlan = new Set(tables.map((t) => t.table));
  for (const name of Object.keys(API_TABLES)) {
    if (!apiInPlan.has(name)) throw new Error(`API ledger table ${name} is declared but not placed in LEDGER_TABLES`);
  }
  return tables;
}

/** Every ledger table, in plan order (InboundShipmentItem right after InboundShipment). */
export const LEDGER_TABLES: readonly LedgerTable[] = buildTables();

const BY_NAME = new Map(LEDGER_TABLES.map((t) => [t.table, t]));

export function ledgerTable(table: string): LedgerTable {
  const found = BY_NAME.get(table);
  if (!found) throw new RangeError(`No ledger table ${table}`);
  return found;
}

export function isLedgerTable(table: string): boolean {
  return BY_NAME.has(table);
}
