// Public surface of the Amazon layer: import from "@/lib/amazon".
export { REGIONS, REGION_DEFAULTS, buildConsentUrl, isRegion, marketplaceIdsOf, regionOfMarketplace } from "./regions";
export type { Region, RegionDefaults, Marketplace, ConsentUrlInput } from "./regions";
export {
  DEFAULT_RETRY,
  backoffDelay,
  realSleep,
  scaledTime,
  spApiConfigForRegion,
  systemClock,
} from "./config";
export type { CallEvent, Clock, RetryOptions, Sleep, SpApiConfig, RegionConfigInput } from "./config";
export { OPERATIONS, usagePlanOf } from "./usage-plans";
export type { OperationName, UsagePlan } from "./usage-plans";
export * from "./errors";
export { exchangeAuthorizationCode, refreshAccessToken } from "./lwa";
export type { LwaAccessToken, LwaConfig, LwaTokens } from "./lwa";
export { AccessTokenCache, sharedAccessTokenCache } from "./access-token-cache";
export { TokenBucketRateLimiter, setSharedRateLimiter, sharedRateLimiter } from "./rate-limiter";
export type { RateLimiter, TokenBucketOptions } from "./rate-limiter";
export { SpApiClient, createSpApiClient } from "./sp-api-client";
export type { SellerCredentials } from "./sp-api-client";
export { createReport, findReusableReport } from "./create-report";
export type { ReportRequest, ReuseOptions } from "./create-report";
export { checkReport, waitForReport } from "./check-report";
export type { ReportCheck, WaitOptions } from "./check-report";
export { openReportDocument } from "./download-report-document";
export { DEFAULT_REPORT_CHARSET, charsetOf, decodeReportBytes } from "./decode-report-bytes";
export { parseReportRows, parseWithDefinition } from "./parse-report-rows";
export type { MalformedRow, ParsedRow, ParseOptions, ReportParseSummary, ReportRowStream, RowBatch } from "./parse-report-rows";
export { fetchReport, streamReportRows } from "./stream-report-rows";
export type { FetchedReport, OpenReportRowStream, StreamReportInput } from "./stream-report-rows";
export { REPORT_DEFINITIONS, REPORT_TYPES, isReportType, reportDefinition } from "./report-types";
export type { ReportDefinition, ReportRow, ReportType } from "./report-types";
export { amountToMinorUnits, currencyExponent, decimalToMinorUnits, parseCalendarDate, parseDateTime } from "./report-values";
export * from "./models/reports";
export * from "./models/finances";
export * from "./models/orders";
export * from "./models/inventory";
export * from "./models/inbound";
export * from "./models/sellers";
export type { Currency, Money } from "./models/common";
