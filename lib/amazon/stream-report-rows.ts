// Download → gunzip → decode → split → validate, yielding batches of normalised rows, plus the
// one-call "request a report and read it" helper for scripts and tests.
import { waitForReport, type WaitOptions } from "./check-report";
import { createReport, type ReportRequest } from "./create-report";
import { openReportDocument } from "./download-report-document";
import type { ReportDocument } from "./models/reports";
import { parseReportRows, type ParseOptions, type ReportRowStream } from "./parse-report-rows";
import type { ReportRow, ReportType } from "./report-types";
import type { SpApiClient } from "./sp-api-client";

export interface StreamReportInput<T extends ReportType> extends ParseOptions {
  reportType: T;
  reportDocumentId: string;
  signal?: AbortSignal;
}

export interface OpenReportRowStream<T> extends ReportRowStream<T> {
  document: ReportDocument;
  /** Charset used to decode (final once iteration has started). */
  readonly charset: string;
}

/**
 * Opens the document (getReportDocument + GET) and returns a stream of row batches. HTTP failures
 * throw here; corrupt gzip (ReportDocumentCorruptError) and a bad header (ReportHeaderError) throw
 * from the iteration. Malformed rows are counted in `summary`.
 */
export async function streamReportRows<T extends ReportType>(
  client: SpApiClient,
  input: StreamReportInput<T>,
): Promise<OpenReportRowStream<ReportRow<T>>> {
  const opened = await openReportDocument(client, input.reportDocumentId, input.signal);
  const rows = parseReportRows(opened.text, input.reportType, input);
  return {
    document: opened.document,
    get charset() {
      return opened.charset;
    },
    get summary() {
      return rows.summary;
    },
    [Symbol.asyncIterator]: () => rows[Symbol.asyncIterator](),
  };
}

export type FetchedReport<T extends ReportType> =
  | { status: "done"; reportId: string; rows: OpenReportRowStream<ReportRow<T>> }
  | { status: "empty"; reportId: string };

/** createReport → poll → stream. Durable jobs should run the three steps separately instead. */
export async function fetchReport<T extends ReportType>(
  client: SpApiClient,
  request: ReportRequest & { reportType: T },
  options: WaitOptions & ParseOptions = {},
): Promise<FetchedReport<T>> {
  const reportId = await createReport(client, request, options.signal);
  const result = await waitForReport(client, reportId, options);
  if (result.state === "empty") return { status: "empty", reportId };
  const rows = await streamReportRows(client, { ...options, reportType: request.reportType, reportDocumentId: result.reportDocumentId });
  return { status: "done", reportId, rows };
}
