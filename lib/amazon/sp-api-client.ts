// The one SP-API client: per-seller access tokens, usage-plan rate limiting, retries with backoff,
// zod-checked responses and typed errors. Build one per seller with createSpApiClient().
import type { z } from "zod";
import { sharedAccessTokenCache, tokenCacheKey, type AccessTokenCache } from "./access-token-cache";
import { parseJsonOrUndefined } from "../util/parse-json";
import { realSleep, systemClock, type Clock, type Sleep } from "./clock";
import { DEFAULT_RETRY, DEFAULT_USER_AGENT, type RetryOptions, type SpApiConfig } from "./config";
import { retryLoop, type RetryLoopOptions } from "./retry-loop";
import {
  redactSecrets,
  SpApiError,
  SpApiNetworkError,
  SpApiResponseValidationError,
  type SpApiErrorEntry,
} from "./errors";
import { refreshAccessToken } from "./lwa";
import { errorListSchema } from "./models/common";
import {
  listFinancialEventsResponseSchema,
  type ListFinancialEventsParams,
  type ListFinancialEventsPayload,
} from "./models/finances";
import {
  getShipmentItemsResponseSchema,
  getShipmentsResponseSchema,
  type GetShipmentItemsResult,
  type GetShipmentsParams,
  type GetShipmentsResult,
} from "./models/inbound";
import {
  getInventorySummariesResponseSchema,
  type GetInventorySummariesParams,
  type GetInventorySummariesResponse,
} from "./models/inventory";
import {
  getOrderItemsResponseSchema,
  getOrdersResponseSchema,
  type GetOrdersParams,
  type OrderItemsList,
  type OrdersList,
} from "./models/orders";
import {
  createReportResponseSchema,
  createReportSpecificationSchema,
  getReportsParamsSchema,
  getReportsResponseSchema,
  reportDocumentSchema,
  reportSchema,
  type CreateReportSpecification,
  type GetReportsParams,
  type GetReportsResponse,
  type Report,
  type ReportDocument,
} from "./models/reports";
import type { RateLimiter } from "./rate-limit/rate-limiter";
import { sharedRateLimiter } from "./rate-limit/token-bucket";
import {
  getAccountResponseSchema,
  getMarketplaceParticipationsResponseSchema,
  type MarketplaceParticipation,
  type SellerAccount,
} from "./models/sellers";
import { OPERATIONS, type OperationName } from "./rate-limit/usage-plans";
import { recordSpApiCall } from "../observability/metrics";

export interface SellerCredentials {
  sellingPartnerId: string;
  /** Decrypted LWA refresh token for this seller and region. */
  refreshToken: string;
  /**
   * Whose usage-plan buckets the calls draw from (default: sellingPartnerId). Amazon counts per
   * selling partner; where the id is only a claim, the caller keys by what the token proved.
   */
  rateLimitKey?: string;
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface CallOptions {
  pathParams?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export function createSpApiClient(config: SpApiConfig, seller: SellerCredentials): SpApiClient {
  return new SpApiClient(config, seller);
}

export class SpApiClient {
  readonly sellingPartnerId: string;
  private readonly rateLimitKey: string;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly retry: RetryOptions;
  private readonly config: SpApiConfig;
  private readonly refreshToken: string;
  private readonly limiter: RateLimiter;
  private readonly tokens: AccessTokenCache;
  private readonly tokenKey: string;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(config: SpApiConfig, seller: SellerCredentials) {
    this.config = config;
    this.sellingPartnerId = seller.sellingPartnerId;
    this.rateLimitKey = seller.rateLimitKey ?? seller.sellingPartnerId;
    this.refreshToken = seller.refreshToken;
    this.clock = config.clock ?? systemClock;
    this.sleep = config.sleep ?? realSleep;
    this.retry = { ...DEFAULT_RETRY, ...config.retry };
    this.limiter = config.rateLimiter ?? sharedRateLimiter();
    this.tokens = config.tokenCache ?? sharedAccessTokenCache();
    this.tokenKey = tokenCacheKey(config.lwaEndpoint, config.clientId, seller.sellingPartnerId, seller.refreshToken);
    this.random = config.random ?? Math.random;
    this.fetchImpl = config.fetch ?? fetch;
  }

  // Keep the refresh token off JSON dumps and util.inspect of the client.
  toJSON(): object {
    return { sellingPartnerId: this.sellingPartnerId, spApiEndpoint: this.config.spApiEndpoint };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SpApiClient(${this.sellingPartnerId} @ ${this.config.spApiEndpoint})`;
  }

  /** A valid access token for this seller (cached; refreshed 5 min early). Throws SellerDisconnectedError when the grant is gone. */
  async accessToken(): Promise<string> {
    const skew = this.config.refreshSkewMs ?? 5 * 60_000;
    const t = await this.tokens.get(this.tokenKey, () => this.clock.now(), skew, () =>
      refreshAccessToken(this.config, { refreshToken: this.refreshToken, sellingPartnerId: this.sellingPartnerId }),
    );
    return t.accessToken;
  }

  // ---- Reports 2021-06-30 ----

  async createReport(spec: CreateReportSpecification, signal?: AbortSignal): Promise<{ reportId: string }> {
    const body = createReportSpecificationSchema.parse(spec);
    return this.call("createReport", { body, signal }, createReportResponseSchema);
  }

  getReport(reportId: string, signal?: AbortSignal): Promise<Report> {
    return this.call("getReport", { pathParams: { reportId }, signal }, reportSchema);
  }

  /** One page. To page on, pass `{ nextToken }` alone: Amazon rejects it with any other parameter. */
  getReports(params: GetReportsParams | { nextToken: string }, signal?: AbortSignal): Promise<GetReportsResponse> {
    const query = "nextToken" in params ? { nextToken: params.nextToken } : getReportsParamsSchema.parse(params);
    return this.call("getReports", { query, signal }, getReportsResponseSchema);
  }

  async *getReportsPages(params: GetReportsParams, signal?: AbortSignal): AsyncGenerator<GetReportsResponse> {
    let page = await this.getReports(params, signal);
    yield page;
    while (page.nextToken) {
      page = await this.getReports({ nextToken: page.nextToken }, signal);
      yield page;
    }
  }

  async cancelReport(reportId: string, signal?: AbortSignal): Promise<void> {
    await this.call("cancelReport", { pathParams: { reportId }, signal }, null);
  }

  getReportDocument(reportDocumentId: string, signal?: AbortSignal): Promise<ReportDocument> {
    return this.call("getReportDocument", { pathParams: { reportDocumentId }, signal }, reportDocumentSchema);
  }

  // ---- Finances v0 ----

  async listFinancialEvents(params: ListFinancialEventsParams, signal?: AbortSignal): Promise<ListFinancialEventsPayload> {
    const res = await this.call("listFinancialEvents", { query: { ...params }, signal }, listFinancialEventsResponseSchema);
    return res.payload;
  }

  /**
   * Every page of a window, in order. Pages can be empty while NextToken continues; the same arguments
   * are resent with the token. Do not pause between pages: NextToken expires (sp-api.md §e).
   */
  async *listFinancialEventsPages(params: Omit<ListFinancialEventsParams, "NextToken">, signal?: AbortSignal): AsyncGenerator<ListFinancialEventsPayload> {
    let next: string | undefined;
    do {
      const page = await this.listFinancialEvents({ ...params, NextToken: next }, signal);
      yield page;
      next = page.NextToken || undefined;
    } while (next);
  }

  // ---- Orders v0 ----

  async getOrders(params: GetOrdersParams, signal?: AbortSignal): Promise<OrdersList> {
    const res = await this.call("getOrders", { query: { ...params }, signal }, getOrdersResponseSchema);
    return res.payload;
  }

  async *getOrdersPages(params: Omit<GetOrdersParams, "NextToken">, signal?: AbortSignal): AsyncGenerator<OrdersList> {
    let page = await this.getOrders(params, signal);
    yield page;
    while (page.NextToken) {
      // Orders v0 accepts NextToken with the original MarketplaceIds.
      page = await this.getOrders({ MarketplaceIds: params.MarketplaceIds, NextToken: page.NextToken }, signal);
      yield page;
    }
  }

  async getOrderItems(orderId: string, nextToken?: string, signal?: AbortSignal): Promise<OrderItemsList> {
    const res = await this.call("getOrderItems", { pathParams: { orderId }, query: { NextToken: nextToken }, signal }, getOrderItemsResponseSchema);
    return res.payload;
  }

  /** All items of one order, following NextToken. */
  async getAllOrderItems(orderId: string, signal?: AbortSignal): Promise<OrderItemsList> {
    const first = await this.getOrderItems(orderId, undefined, signal);
    const items = [...first.OrderItems];
    let next = first.NextToken;
    while (next) {
      const page = await this.getOrderItems(orderId, next, signal);
      items.push(...page.OrderItems);
      next = page.NextToken;
    }
    return { ...first, OrderItems: items, NextToken: undefined };
  }

  // ---- FBA Inventory v1 ----

  getInventorySummaries(params: GetInventorySummariesParams, signal?: AbortSignal): Promise<GetInventorySummariesResponse> {
    return this.call(
      "getInventorySummaries",
      {
        query: {
          granularityType: "Marketplace",
          granularityId: params.marketplaceId,
          marketplaceIds: [params.marketplaceId],
          details: params.details,
          startDateTime: params.startDateTime,
          sellerSkus: params.sellerSkus,
          nextToken: params.nextToken,
        },
        signal,
      },
      getInventorySummariesResponseSchema,
    );
  }

  /** Every page; the full query (incl. startDateTime) is resent with each nextToken, as Amazon requires. */
  async *getInventorySummariesPages(params: Omit<GetInventorySummariesParams, "nextToken">, signal?: AbortSignal): AsyncGenerator<GetInventorySummariesResponse> {
    let next: string | undefined;
    do {
      const page = await this.getInventorySummaries({ ...params, nextToken: next }, signal);
      yield page;
      next = page.pagination?.nextToken || undefined;
    } while (next);
  }

  // ---- Fulfillment Inbound v0 ----

  async getShipments(params: GetShipmentsParams, signal?: AbortSignal): Promise<GetShipmentsResult> {
    const res = await this.call("getShipments", { query: { ...params }, signal }, getShipmentsResponseSchema);
    return res.payload;
  }

  async *getShipmentsPages(params: Exclude<GetShipmentsParams, { QueryType: "NEXT_TOKEN" }>, signal?: AbortSignal): AsyncGenerator<GetShipmentsResult> {
    let page = await this.getShipments(params, signal);
    yield page;
    while (page.NextToken) {
      page = await this.getShipments({ MarketplaceId: params.MarketplaceId, QueryType: "NEXT_TOKEN", NextToken: page.NextToken }, signal);
      yield page;
    }
  }

  async getShipmentItemsByShipmentId(shipmentId: string, marketplaceId?: string, signal?: AbortSignal): Promise<GetShipmentItemsResult> {
    const res = await this.call(
      "getShipmentItemsByShipmentId",
      { pathParams: { shipmentId }, query: { MarketplaceId: marketplaceId }, signal },
      getShipmentItemsResponseSchema,
    );
    return res.payload;
  }

  // ---- Sellers v1 ----

  /** The marketplaces the seller participates in (the consent redirect does not name them). */
  async getMarketplaceParticipations(signal?: AbortSignal): Promise<MarketplaceParticipation[]> {
    const res = await this.call("getMarketplaceParticipations", { signal }, getMarketplaceParticipationsResponseSchema);
    return res.payload;
  }

  /**
   * The account behind the token: business, primary contact, marketplaces. Like every Sellers API
   * answer it does not name the selling partner id; Connect Amazon uses it as the token's evidence.
   */
  async getAccount(signal?: AbortSignal): Promise<SellerAccount> {
    const res = await this.call("getAccount", { signal }, getAccountResponseSchema);
    return res.payload;
  }

  // ---- the engine ----

  /**
   * Sends one operation: waits for the seller's rate-limit token, retries 429/5xx/network errors with
   * backoff, refreshes the access token once on 401/403, and checks the body with `schema`
   * (null = no body expected).
   */
  async call<S extends z.ZodType>(operation: OperationName, options: CallOptions, schema: S): Promise<z.output<S>>;
  async call(operation: OperationName, options: CallOptions, schema: null): Promise<undefined>;
  async call(operation: OperationName, options: CallOptions, schema: z.ZodType | null): Promise<unknown> {
    const spec = OPERATIONS[operation];
    const url = this.buildUrl(spec.path, options.pathParams, options.query);
    let authRetried = false;
    return retryLoop<unknown>(this.loopOptions(options.signal), async (attempt) => {
      // Token first, then the rate-limit slot, then send at once: any wait between the slot and the
      // send would bunch requests up at Amazon's end.
      await this.accessToken();
      await this.limiter.acquire(this.rateLimitKey, operation, options.signal, this.config.maxRateLimitWaitMs);
      // A cache hit unless the slot wait outlasted the token's margin.
      const accessToken = await this.accessToken();
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(url, {
          method: spec.method,
          headers: {
            "x-amz-access-token": accessToken,
            "x-amz-date": amzDate(this.clock.now()),
            "user-agent": (this.config.userAgent ?? DEFAULT_USER_AGENT).slice(0, 500),
            accept: "application/json",
            ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: this.timeoutSignal(options.signal),
        });
        text = await res.text();
      } catch (cause) {
        // Connection refused/reset, timeout, or the body cut off mid-way: all worth another attempt.
        options.signal?.throwIfAborted();
        this.emit(operation, "network-error", undefined, attempt);
        return {
          retry: new SpApiNetworkError(operation, attempt, new Error(redactSecrets(String(cause), [accessToken, this.refreshToken, this.config.clientSecret]))),
        };
      }
      const requestId = res.headers.get("x-amzn-requestid") ?? undefined;
      this.emit(operation, res.status, requestId, attempt);
      const advertised = Number(res.headers.get("x-amzn-ratelimit-limit") ?? NaN);
      if (Number.isFinite(advertised)) this.limiter.noteRateLimit(this.rateLimitKey, operation, advertised);

      if (res.ok) {
        if (schema === null) return { value: undefined };
        const parsed = schema.safeParse(parseJsonOrUndefined(text));
        if (!parsed.success) {
          throw new SpApiResponseValidationError(
            operation,
            parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
            requestId,
          );
        }
        return { value: parsed.data };
      }

      if ((res.status === 401 || res.status === 403) && !authRetried) {
        // An expired or revoked access token: refresh once, then give up on a second refusal.
        authRetried = true;
        this.tokens.invalidate(this.tokenKey, accessToken);
        return { again: true }; // the auth retry does not use up a backoff attempt
      }
      if (res.status === 429) this.limiter.noteThrottled(this.rateLimitKey, operation);
      const error = new SpApiError({
        operation,
        status: res.status,
        errors: errorEntries(text, [accessToken, this.refreshToken, this.config.clientSecret]),
        requestId,
      });
      if (error.retryable) return { retry: error };
      throw error;
    });
  }

  /**
   * Plain GET of a pre-signed URL (report documents): no SP-API auth headers, retries on network
   * errors and 5xx. The caller reads the body as a stream.
   */
  async fetchPresigned(url: string, signal?: AbortSignal): Promise<Response> {
    return retryLoop<Response>(this.loopOptions(signal), async (attempt, isLast) => {
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method: "GET", signal });
      } catch (cause) {
        signal?.throwIfAborted();
        this.emit("reportDownload", "network-error", undefined, attempt);
        // The URL's query holds a signature: keep it out of the message.
        return { retry: new SpApiNetworkError("reportDownload", attempt, new Error(cause instanceof Error ? cause.message : String(cause))) };
      }
      this.emit("reportDownload", res.status, res.headers.get("x-amz-request-id") ?? undefined, attempt);
      // The last answer goes to the caller as it is, which names the status in its own error.
      if ((res.status >= 500 || res.status === 429) && !isLast) {
        await res.body?.cancel();
        return { retry: new Error(`report download answered ${res.status}`) };
      }
      return { value: res };
    });
  }

  private loopOptions(signal?: AbortSignal): RetryLoopOptions {
    return { retry: this.retry, sleep: this.sleep, random: this.random, signal };
  }

  private buildUrl(path: string, pathParams: Record<string, string> = {}, query: Record<string, QueryValue> = {}): string {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = pathParams[name];
      if (v === undefined || v === "") throw new TypeError(`Missing path parameter ${name}`);
      return encodeURIComponent(v);
    });
    // Concatenate rather than resolve, so an endpoint override with a path prefix keeps it.
    const url = new URL(this.config.spApiEndpoint.replace(/\/+$/, "") + filled);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      // Swagger 2.0 default collectionFormat is csv: arrays go comma-separated.
      url.searchParams.set(k, Array.isArray(v) ? v.join(",") : String(v));
    }
    return url.toString();
  }

  private timeoutSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.config.requestTimeoutMs ?? 60_000);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /** Where every HTTP exchange ends: counted (spapi_calls_total, spapi_throttled_total), then reported to onCall. */
  private emit(operation: OperationName | "reportDownload", status: number | "network-error", requestId: string | undefined, attempt: number): void {
    recordSpApiCall(operation, status);
    this.config.onCall?.({ operation, sellingPartnerId: this.sellingPartnerId, status, requestId, attempt, at: this.clock.now() });
  }
}

function errorEntries(text: string, secrets: string[]): SpApiErrorEntry[] {
  const parsed = errorListSchema.safeParse(parseJsonOrUndefined(text));
  const entries: SpApiErrorEntry[] = parsed.success
    ? parsed.data.errors.map((e) => ({ code: e.code, message: e.message, details: e.details }))
    : text.trim()
      ? [{ code: "UnparsableErrorBody", message: text.slice(0, 200) }]
      : [];
  return entries.map((e) => ({
    code: e.code,
    message: redactSecrets(e.message, secrets),
    details: e.details === undefined ? undefined : redactSecrets(e.details, secrets),
  }));
}

/** `x-amz-date` format: 20260706T120000Z. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
