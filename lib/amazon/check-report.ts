// Report status: one check (for durable steps that sleep between checks) and a polling loop with
// backoff. CANCELLED means "no data for this window", not an error; FATAL throws with Amazon's reason.
import { openReportDocument } from "./download-report-document";
import { ReportFatalError, ReportTimeoutError } from "./errors";
import { fatalReportDocumentSchema, type Report } from "./models/reports";
import type { SpApiClient } from "./sp-api-client";

export type ReportCheck =
  | { state: "pending"; report: Report }
  | { state: "done"; report: Report; reportDocumentId: string }
  /** Cancelled, or DONE without a document: an empty result. */
  | { state: "empty"; report: Report };

/** One getReport. Throws ReportFatalError (with the document's errorDetails when there is one). */
export async function checkReport(client: SpApiClient, reportId: string, signal?: AbortSignal): Promise<ReportCheck> {
  const report = await client.getReport(reportId, signal);
  switch (report.processingStatus) {
    case "IN_QUEUE":
    case "IN_PROGRESS":
      return { state: "pending", report };
    case "CANCELLED":
      return { state: "empty", report };
    case "DONE":
      return report.reportDocumentId ? { state: "done", report, reportDocumentId: report.reportDocumentId } : { state: "empty", report };
    case "FATAL":
      throw new ReportFatalError(
        report.reportId,
        report.reportType,
        report.reportDocumentId,
        report.reportDocumentId ? await readFatalDetails(client, report.reportDocumentId, signal) : undefined,
      );
  }
}

export interface WaitOptions {
  /** First wait between checks. Default 15 s. */
  initialIntervalMs?: number;
  /** Waits grow ×1.5 up to this. Default 2 min. */
  maxIntervalMs?: number;
  /** Give up (ReportTimeoutError) after this long on the client's clock. Default 2 h. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Polls until DONE / CANCELLED (returned) or FATAL / timeout (thrown). Each check also waits for the getReport rate limit. */
export async function waitForReport(
  client: SpApiClient,
  reportId: string,
  options: WaitOptions = {},
): Promise<Exclude<ReportCheck, { state: "pending" }>> {
  const start = client.clock.now();
  const timeout = options.timeoutMs ?? 2 * 60 * 60_000;
  const maxInterval = options.maxIntervalMs ?? 120_000;
  let interval = options.initialIntervalMs ?? 15_000;
  for (;;) {
    const check = await checkReport(client, reportId, options.signal);
    if (check.state !== "pending") return check;
    const waited = client.clock.now() - start;
    if (waited + interval > timeout) throw new ReportTimeoutError(reportId, check.report.processingStatus, waited);
    await client.sleep(interval, options.signal);
    interval = Math.min(maxInterval, interval * 1.5);
  }
}

/** The JSON document a FATAL report may carry (`{"errorDetails": "..."}`); undefined when unreadable. */
async function readFatalDetails(client: SpApiClient, reportDocumentId: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const doc = await openReportDocument(client, reportDocumentId, signal);
    let text = "";
    for await (const chunk of doc.text) {
      text += chunk;
      if (text.length > 64_000) break; // an error document is small; never slurp a big one
    }
    const parsed = fatalReportDocumentSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errorDetails : text.slice(0, 500);
  } catch {
    // The FATAL itself is the error that matters; a missing reason must not replace it.
    return undefined;
  }
}
