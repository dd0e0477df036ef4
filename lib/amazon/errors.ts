// The typed errors of the Amazon layer. Each keeps what support and the sync bookkeeping need
// (Amazon's code/message/details, HTTP status, x-amzn-RequestId) and never a secret.
import type { OperationName } from "./rate-limit/usage-plans";

export interface SpApiErrorEntry {
  code: string;
  message: string;
  details?: string;
}

/** Base class so callers can catch everything this layer throws with one instanceof. */
export class AmazonError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactTokens(message), options);
    this.name = new.target.name;
  }
}

/** A non-2xx SP-API response (after retries, when retryable). */
export class SpApiError extends AmazonError {
  readonly operation: OperationName;
  readonly status: number;
  readonly code: string;
  readonly amazonMessage: string;
  readonly details: string | undefined;
  readonly errors: SpApiErrorEntry[];
  readonly requestId: string | undefined;
  /** 429 and 5xx: the call may succeed later. */
  readonly retryable: boolean;

  constructor(input: {
    operation: OperationName;
    status: number;
    errors: SpApiErrorEntry[];
    requestId: string | undefined;
  }) {
    const first = input.errors[0];
    const code = first?.code ?? `HTTP${input.status}`;
    const msg = first?.message ?? "No error body";
    super(
      `SP-API ${input.operation} failed: ${input.status} ${code}: ${msg}` +
        (first?.details ? ` (${first.details})` : "") +
        (input.requestId ? ` [requestId ${input.requestId}]` : ""),
    );
    this.operation = input.operation;
    this.status = input.status;
    this.code = code;
    this.amazonMessage = msg;
    this.details = first?.details || undefined;
    this.errors = input.errors;
    this.requestId = input.requestId;
    this.retryable = input.status === 429 || input.status >= 500;
  }

  get isThrottled(): boolean {
    return this.status === 429;
  }
}

/**
 * The usage plan has no token for this call within the caller's `maxRateLimitWaitMs`: nothing was
 * sent. A durable job should sleep `retryAfterMs` (e.g. Inngest step.sleep) and try again.
 */
export class RateLimitWaitError extends AmazonError {
  constructor(
    readonly operation: OperationName,
    readonly retryAfterMs: number,
  ) {
    super(`${operation}: usage plan has no token for ${Math.ceil(retryAfterMs / 1000)} s; retry later`);
  }
}

/** The network failed (DNS, reset, timeout) on every attempt. */
export class SpApiNetworkError extends AmazonError {
  constructor(
    readonly operation: OperationName | "lwa" | "reportDownload",
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${operation}: network error after ${attempts} attempt(s): ${describeCause(cause)}`, { cause });
  }
}

/** A 2xx SP-API response whose body does not match the model (zod). Not retried. */
export class SpApiResponseValidationError extends AmazonError {
  constructor(
    readonly operation: OperationName,
    readonly issues: string[],
    readonly requestId: string | undefined,
  ) {
    super(
      `SP-API ${operation} returned an unexpected payload: ${issues.slice(0, 5).join("; ")}` +
        (requestId ? ` [requestId ${requestId}]` : ""),
    );
  }
}

export type LwaGrantType = "authorization_code" | "refresh_token" | "client_credentials";

/** Login with Amazon refused a token request; `oauthError` is the OAuth 2.0 code (e.g. invalid_grant). */
export class LwaError extends AmazonError {
  constructor(
    readonly oauthError: string,
    readonly description: string,
    readonly status: number,
    readonly grantType: LwaGrantType,
    readonly requestId?: string,
  ) {
    super(`LWA ${grantType} grant failed: ${status} ${oauthError}${description ? `: ${description}` : ""}`);
  }

  /** 429/5xx from LWA may pass; OAuth errors (4xx) will not. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/**
 * The seller's refresh token is no longer valid (revoked, expired authorization, app removed): the
 * connection needs the seller to consent again. Never retried.
 */
export class SellerDisconnectedError extends LwaError {
  constructor(
    readonly sellingPartnerId: string,
    description: string,
    status: number,
    requestId?: string,
  ) {
    super("invalid_grant", description, status, "refresh_token", requestId);
    this.message = redactTokens(
      `Seller ${sellingPartnerId} is disconnected (refresh token rejected: ${description || "invalid_grant"}); re-consent needed`,
    );
  }
}

/** getReport said FATAL. `errorDetails` comes from the report document when Amazon wrote one. */
export class ReportFatalError extends AmazonError {
  constructor(
    readonly reportId: string,
    readonly reportType: string,
    readonly reportDocumentId: string | undefined,
    readonly errorDetails: string | undefined,
  ) {
    super(`Report ${reportId} (${reportType}) ended FATAL${errorDetails ? `: ${errorDetails}` : ""}`);
  }
}

/** A report still IN_QUEUE/IN_PROGRESS when the caller's polling budget ran out. */
export class ReportTimeoutError extends AmazonError {
  constructor(
    readonly reportId: string,
    readonly lastStatus: string,
    readonly waitedMs: number,
  ) {
    super(`Report ${reportId} still ${lastStatus} after ${Math.round(waitedMs / 1000)} s`);
  }
}

/** The pre-signed document URL answered non-2xx (expired URL, 403, 5xx after retries). */
export class ReportDownloadError extends AmazonError {
  constructor(
    readonly reportDocumentId: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Download of report document ${reportDocumentId} failed: ${status} ${detail}`);
  }
}

/** The document bytes cannot be read: bad gzip, truncated stream. Fails the task; retrying the same URL will not help. */
export class ReportDocumentCorruptError extends AmazonError {
  constructor(
    readonly reportDocumentId: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`Report document ${reportDocumentId} is corrupt: ${reason}`, { cause });
  }
}

/** The header row lacks columns every row needs, so no row could be read. */
export class ReportHeaderError extends AmazonError {
  constructor(
    readonly reportType: string,
    readonly missingColumns: string[],
    readonly headers: string[],
  ) {
    super(`Report ${reportType} lacks required column(s) ${missingColumns.map((c) => `"${c}"`).join(", ")}`);
  }
}

/** The server has no Amazon app configured (missing LWA credentials or app id): nothing can reach Amazon. */
export class AmazonNotConfiguredError extends AmazonError {
  constructor(readonly missing: string[]) {
    super(`Amazon is not configured on this server (missing ${missing.join(", ")}).`);
  }
}

/** Our record of the seller says it is not connected (disconnected, removed, no stored token): ask for consent again. */
export class SellerNotConnectedError extends AmazonError {
  constructor(readonly sellerConnectionId: string) {
    super(`Seller connection ${sellerConnectionId} is not connected; the seller must connect Amazon again`);
  }
}

// LWA tokens start with Atza| (access) or Atzr| (refresh); scrub them wherever they might leak.
const TOKEN_PATTERN = /Atz[ar]\|[^\s"'&,;]+/g;

export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, (t) => `${t.slice(0, 5)}[redacted]`);
}

/** Removes each given secret (and LWA-looking tokens) from a text. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return redactTokens(out);
}

/** A URL without its query string: pre-signed URLs carry credentials in the query. */
export function urlWithoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "[unparseable url]";
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const innerMsg = inner instanceof Error ? ` (${inner.message})` : "";
    return `${cause.name}: ${cause.message}${innerMsg}`;
  }
  return String(cause);
}
