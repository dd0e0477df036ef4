// What the sync engine asks of a sales channel (seed 003's connector layer). Amazon is the first
// implementation (amazon-connector.ts); another channel is another connector, not another pipeline.
// Every method is one short call or one page; waiting and retrying belong to the engine.
import type { FinancialEvents } from "../amazon/models/finances";
import type { InboundShipmentInfo, InboundShipmentItem } from "../amazon/models/inbound";
import type { InventorySummary } from "../amazon/models/inventory";
import type { ParseOptions, ReportRowStream } from "../amazon/parse-report-rows";
import type { ReportType } from "../amazon/report-types";

export interface ReportQuery {
  reportType: ReportType;
  /** UTC ISO; absent for snapshot reports. */
  dataStartTime?: string;
  dataEndTime?: string;
  reportOptions?: Record<string, string>;
}

export type ReportState =
  | { state: "pending"; status: string }
  | { state: "done"; documentId: string }
  /** CANCELLED (no data) or DONE without a document. */
  | { state: "empty" }
  | { state: "fatal"; details?: string };

export interface GeneratedReport {
  reportId: string;
  documentId: string;
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime: string;
}

export interface Page<T> {
  items: T;
  nextToken?: string;
}

export interface SyncConnector {
  readonly channel: string;
  /** The channel's data is test data (seed 002's `is_sandbox`). */
  readonly isSandbox: boolean;
  readonly marketplaceIds: readonly string[];
  /** The channel's clock (milliseconds). */
  now(): number;

  requestReport(query: ReportQuery): Promise<string>;
  /** Our own report for exactly this query created since `sinceMs` (in flight or done), to reuse instead of asking again. */
  findRequestedReport(query: ReportQuery, sinceMs: number): Promise<string | undefined>;
  reportState(reportId: string): Promise<ReportState>;
  openReportRows(reportType: ReportType, documentId: string, options?: ParseOptions): Promise<ReportRowStream<Record<string, unknown>>>;
  /** Reports the channel generates on its own schedule (settlements), created since `sinceIso`, with a document. */
  listGeneratedReports(reportType: ReportType, sinceIso: string): Promise<GeneratedReport[]>;

  financialEvents(window: { postedAfter: string; postedBefore: string }, nextToken?: string): Promise<Page<FinancialEvents>>;
  inboundShipments(window: { updatedAfter: string; updatedBefore: string }, marketplaceId: string, nextToken?: string): Promise<Page<InboundShipmentInfo[]>>;
  inboundShipmentItems(shipmentId: string, marketplaceId: string): Promise<InboundShipmentItem[]>;
  inventorySummaries(marketplaceId: string, nextToken?: string): Promise<Page<InventorySummary[]>>;
}
