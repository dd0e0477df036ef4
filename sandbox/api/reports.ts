// Reports API 2021-06-30: createReport, getReports, getReport, cancelReport, getReportDocument.
import { z } from "zod";
import { invalidInput, notFound } from "../http/errors";
import { REPORT_TYPES } from "../reports/report-columns";
import type { ApiHandler } from "./context";
import { PeekIterator, take } from "./page-tokens";
import { intParam, isoDateTime, listOf, ms, parseOrThrow } from "./validation";

const CreateReportSpecification = z.object({
  reportType: z.string().min(1),
  marketplaceIds: z.array(z.string().min(1)).min(1).max(25),
  dataStartTime: isoDateTime.optional(),
  dataEndTime: isoDateTime.optional(),
  reportOptions: z.record(z.string(), z.string()).optional(),
});

export const createReport: ApiHandler = async (ctx) => {
  const spec = parseOrThrow(CreateReportSpecification, ctx.body);
  return { status: 202, body: ctx.seller.reports.create(spec) };
};

export const getReport: ApiHandler = async (ctx) => {
  const report = await ctx.seller.reports.view(ctx.params.reportId ?? "");
  if (!report) throw notFound(`Report ${ctx.params.reportId} not found.`);
  return { status: 200, body: report };
};

export const cancelReport: ApiHandler = async (ctx) => {
  const r = ctx.seller.reports.cancel(ctx.params.reportId ?? "");
  if (r === "not-found") throw notFound(`Report ${ctx.params.reportId} not found.`);
  if (r === "not-cancellable") throw invalidInput("Only reports with processingStatus IN_QUEUE can be cancelled.");
  return { status: 200 };
};

const GetReportsQuery = z
  .object({
    reportTypes: listOf(z.string()).pipe(z.array(z.string()).min(1).max(10).optional()),
    processingStatuses: listOf(z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"])),
    marketplaceIds: listOf(z.string()).pipe(z.array(z.string()).min(1).max(10).optional()),
    pageSize: intParam.pipe(z.number().int().min(1).max(100).optional()),
    createdSince: isoDateTime.optional(),
    createdUntil: isoDateTime.optional(),
    nextToken: z.string().optional(),
  });

interface ReportsCursor {
  it: PeekIterator<unknown>;
  pageSize: number;
}

const TOKEN_TTL_MS = 30 * 60_000;

export const getReports: ApiHandler = async (ctx) => {
  const q = parseOrThrow(GetReportsQuery, ctx.query);
  if (q.nextToken !== undefined) {
    if (Object.keys(ctx.query).length > 1) throw invalidInput("nextToken must be the only parameter when it is specified.");
    const entry = ctx.seller.tokens.get<ReportsCursor>("getReports", q.nextToken);
    if (entry === "invalid" || entry === "expired") throw invalidInput("Invalid nextToken.");
    if (entry.page) return { status: 200, body: entry.page };
    const body = page(ctx, entry.state, q.nextToken);
    entry.page = body;
    return { status: 200, body };
  }
  if (!q.reportTypes) throw invalidInput("Either reportTypes or nextToken is required.");
  const unknown = q.reportTypes.find((t) => !(REPORT_TYPES as string[]).includes(t));
  if (unknown) throw invalidInput(`Invalid reportType ${unknown}.`);
  const list = await ctx.seller.reports.list({
    reportTypes: q.reportTypes,
    ...(q.processingStatuses ? { processingStatuses: q.processingStatuses } : {}),
    ...(q.marketplaceIds ? { marketplaceIds: q.marketplaceIds } : {}),
    ...(q.createdSince ? { createdSinceMs: ms(q.createdSince) } : {}),
    ...(q.createdUntil ? { createdUntilMs: ms(q.createdUntil) } : {}),
  });
  return { status: 200, body: page(ctx, { it: new PeekIterator<unknown>(list[Symbol.iterator]()), pageSize: q.pageSize ?? 10 }) };
};

function page(ctx: Parameters<ApiHandler>[0], cursor: ReportsCursor, parent?: string) {
  const { items } = take(cursor.it, cursor.pageSize);
  const body: { reports: unknown[]; nextToken?: string } = { reports: items };
  if (cursor.it.hasMore()) body.nextToken = ctx.seller.tokens.issue("getReports", cursor, TOKEN_TTL_MS, parent);
  return body;
}

const GetReportDocumentQuery = z.object({ enableContentEncodingUrlHeader: z.enum(["true", "false"]).optional() });

export const getReportDocument: ApiHandler = async (ctx) => {
  const q = parseOrThrow(GetReportDocumentQuery, ctx.query);
  const id = ctx.params.reportDocumentId ?? "";
  const doc = await ctx.seller.reports.document(id);
  if (!doc) throw notFound(`Report document ${id} not found.`);
  const gzipHeader = q.enableContentEncodingUrlHeader === "true" && doc.compressed;
  const url = ctx.signer.url(ctx.baseUrl, ctx.seller.world.seller.sellingPartnerId, id, ctx.clock.nowMs(), gzipHeader);
  return { status: 200, body: doc.compressed ? { reportDocumentId: id, url, compressionAlgorithm: "GZIP" } : { reportDocumentId: id, url } };
};
