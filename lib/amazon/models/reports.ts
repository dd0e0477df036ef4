// Reports API 2021-06-30 payloads (shared/sp-api-models/reports_2021-06-30.json).
import { z } from "zod";
import { dateTimeString } from "./common";

export const PROCESSING_STATUSES = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export const reportSchema = z.looseObject({
  reportId: z.string(),
  reportType: z.string(),
  marketplaceIds: z.array(z.string()).optional(),
  dataStartTime: dateTimeString.optional(),
  dataEndTime: dateTimeString.optional(),
  reportScheduleId: z.string().optional(),
  createdTime: dateTimeString,
  processingStatus: z.enum(PROCESSING_STATUSES),
  processingStartTime: dateTimeString.optional(),
  processingEndTime: dateTimeString.optional(),
  reportDocumentId: z.string().optional(),
});
export type Report = z.infer<typeof reportSchema>;

export const getReportsResponseSchema = z.looseObject({
  reports: z.array(reportSchema),
  nextToken: z.string().optional(),
});
export type GetReportsResponse = z.infer<typeof getReportsResponseSchema>;

export const createReportResponseSchema = z.looseObject({ reportId: z.string() });
export type CreateReportResponse = z.infer<typeof createReportResponseSchema>;

export const reportDocumentSchema = z.looseObject({
  reportDocumentId: z.string(),
  url: z.string().url(),
  compressionAlgorithm: z.enum(["GZIP"]).optional(),
});
export type ReportDocument = z.infer<typeof reportDocumentSchema>;

/** createReport body (CreateReportSpecification). */
export const createReportSpecificationSchema = z.object({
  reportType: z.string().min(1),
  marketplaceIds: z.array(z.string()).min(1).max(25),
  dataStartTime: dateTimeString.optional(),
  dataEndTime: dateTimeString.optional(),
  reportOptions: z.record(z.string(), z.string()).optional(),
});
export type CreateReportSpecification = z.infer<typeof createReportSpecificationSchema>;

export const getReportsParamsSchema = z.object({
  // Required unless paging with nextToken (which must then be the only parameter).
  reportTypes: z.array(z.string()).min(1).max(10),
  processingStatuses: z.array(z.enum(PROCESSING_STATUSES)).min(1).optional(),
  marketplaceIds: z.array(z.string()).min(1).max(10).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  createdSince: dateTimeString.optional(),
  createdUntil: dateTimeString.optional(),
});
export type GetReportsParams = z.infer<typeof getReportsParamsSchema>;

/** Amazon's document for a FATAL report. */
export const fatalReportDocumentSchema = z.looseObject({ errorDetails: z.string().optional() });
