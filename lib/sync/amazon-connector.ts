// The Amazon connector: the sync engine's questions answered with SP-API calls, one call (or one
// page) each. Built per step from the seller's connection (spApiClientForStep): the shared usage-plan
// buckets, a short rate-limit wait, at most two tries; longer waits come back as RateLimitWaitError.
import { checkReport } from "../amazon/check-report";
import { createReport, findReusableReport } from "../amazon/create-report";
import { ReportFatalError } from "../amazon/errors";
import { parseReportRows } from "../amazon/parse-report-rows";
import { openReportDocument } from "../amazon/download-report-document";
import type { SpApiClient } from "../amazon/sp-api-client";
import { db } from "../db";
import { amazonAppOrThrow, type AmazonApp } from "../sellers/amazon-app";
import { spApiClientForStep } from "../sellers/sp-api-client-for-step";
import type { GeneratedReport, ReportQuery, ReportState, SyncConnector } from "./connector";

export class AmazonConnector implements SyncConnector {
  readonly channel = "amazon";

  constructor(
    private readonly client: SpApiClient,
    readonly marketplaceIds: readonly string[],
    readonly isSandbox: boolean,
  ) {}

  now(): number {
    return this.client.clock.now();
  }

  private spec(query: ReportQuery) {
    return { ...query, marketplaceIds: [...this.marketplaceIds] };
  }

  requestReport(query: ReportQuery): Promise<string> {
    return createReport(this.client, this.spec(query));
  }

  async findRequestedReport(query: ReportQuery, sinceMs: number): Promise<string | undefined> {
    const found = await findReusableReport(this.client, this.spec(query), { maxDoneAgeMs: Math.max(1, this.now() - sinceMs + 60_000) });
    return found?.reportId;
  }

  async reportState(reportId: string): Promise<ReportState> {
    try {
      const check = await checkReport(this.client, reportId);
      if (check.state === "pending") return { state: "pending", status: check.report.processingStatus };
      if (check.state === "done") return { state: "done", documentId: check.reportDocumentId };
      return { state: "empty" };
    } catch (error) {
      if (error instanceof ReportFatalError) return { state: "fatal", details: error.errorDetails };
      throw error;
    }
  }

  async openReportRows(reportType: ReportQuery["reportType"], documentId: string, options?: Parameters<SyncConnector["openReportRows"]>[2]) {
    const opened = await openReportDocument(this.client, documentId);
    return parseReportRows(opened.text, reportType, options) as unknown as Awaited<ReturnType<SyncConnector["openReportRows"]>>;
  }

  async listGeneratedReports(reportType: ReportQuery["reportType"], sinceIso: string): Promise<GeneratedReport[]> {
    const found: GeneratedReport[] = [];
    for await (const page of this.client.getReportsPages({
      reportTypes: [reportType],
      processingStatuses: ["DONE"],
      createdSince: sinceIso,
      pageSize: 100,
    })) {
      for (const report of page.reports) {
        if (report.reportType !== reportType || !report.reportDocumentId) continue;
        found.push({
          reportId: report.reportId,
          documentId: report.reportDocumentId,
          dataStartTime: report.dataStartTime,
          dataEndTime: report.dataEndTime,
          createdTime: report.createdTime,
        });
      }
    }
    return found.sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
  }

  async financialEvents(window: { postedAfter: string; postedBefore: string }, nextToken?: string) {
    const page = await this.client.listFinancialEvents({
      PostedAfter: window.postedAfter,
      PostedBefore: window.postedBefore,
      MaxResultsPerPage: 100,
      NextToken: nextToken,
    });
    return { items: page.FinancialEvents ?? {}, nextToken: page.NextToken || undefined };
  }

  async inboundShipments(window: { updatedAfter: string; updatedBefore: string }, marketplaceId: string, nextToken?: string) {
    const page = nextToken
      ? await this.client.getShipments({ MarketplaceId: marketplaceId, QueryType: "NEXT_TOKEN", NextToken: nextToken })
      : await this.client.getShipments({
          MarketplaceId: marketplaceId,
          QueryType: "DATE_RANGE",
          LastUpdatedAfter: window.updatedAfter,
          LastUpdatedBefore: window.updatedBefore,
        });
    return { items: page.ShipmentData ?? [], nextToken: page.NextToken || undefined };
  }

  async inboundShipmentItems(shipmentId: string, marketplaceId: string) {
    // The by-shipment operation takes no NextToken in the model: one answer holds the shipment's items.
    const page = await this.client.getShipmentItemsByShipmentId(shipmentId, marketplaceId);
    return page.ItemData ?? [];
  }

  async inventorySummaries(marketplaceId: string, nextToken?: string) {
    const page = await this.client.getInventorySummaries({ marketplaceId, details: true, nextToken });
    return { items: page.payload?.inventorySummaries ?? [], nextToken: page.pagination?.nextToken || undefined };
  }
}

/** The connector for one seller connection, inside an Inngest step. */
export async function amazonConnectorFor(sellerConnectionId: string, app: AmazonApp = amazonAppOrThrow()): Promise<AmazonConnector> {
  const connection = await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerConnectionId }, select: { marketplaceIds: true } });
  const client = await spApiClientForStep(sellerConnectionId, app);
  return new AmazonConnector(client, connection.marketplaceIds, app.isSandbox);
}
