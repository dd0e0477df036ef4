// One error type with a closed set of codes, one map from code to HTTP status, and one function that
// turns anything thrown into the JSON body `{ error: { code, message } }`. Unknown errors become a
// generic 500 that leaks nothing.
import { NextResponse } from "next/server";
import { z } from "zod";
import {
  AmazonError,
  AmazonNotConfiguredError,
  LwaError,
  RateLimitWaitError,
  SellerDisconnectedError,
  SellerNotConnectedError,
  SpApiError,
  SpApiNetworkError,
} from "../amazon/errors";
import { log } from "../observability/logger";

export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export function toErrorBody(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof ApiError) {
    return { status: errorStatus[error.code], body: { error: { code: error.code, message: error.message } }, headers: error.headers };
  }
  if (error instanceof z.ZodError) {
    return {
      status: errorStatus.unprocessable_entity,
      body: { error: { code: "unprocessable_entity", message: describeZodError(error) } },
      headers: {},
    };
  }
  if (error instanceof AmazonError) return amazonErrorBody(error);
  // Log the real error server-side for operators (the logger masks tokens and URL passwords in its
  // text); the client gets nothing that could leak.
  log.error(error instanceof Error ? { err: error } : { thrown: error }, "Unhandled error in API route");
  return {
    status: 500,
    body: { error: { code: "internal_server_error", message: "Something went wrong on our side. Please try again." } },
    headers: {},
  };
}

/** The SP-API client's typed errors as the closed set of codes; Amazon's own text stays in the server log. */
function amazonErrorBody(error: AmazonError): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const answer = (code: ErrorCode, message: string, headers: Record<string, string> = {}) => ({
    status: errorStatus[code],
    body: { error: { code, message } },
    headers,
  });
  log.warn({ errorClass: error.name }, `Amazon call failed in an API route: ${error.name}: ${error.message}`);
  if (error instanceof AmazonNotConfiguredError) return answer("service_unavailable", error.message);
  if (error instanceof SellerDisconnectedError || error instanceof SellerNotConnectedError) {
    return answer("conflict", "This Amazon account is no longer connected. Connect it again to continue.");
  }
  if (error instanceof RateLimitWaitError) {
    return answer("rate_limited", "Amazon's rate limit for this account is used up for now. Please try again shortly.", {
      "retry-after": String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
    });
  }
  if (error instanceof SpApiError && error.isThrottled) {
    return answer("rate_limited", "Amazon is throttling requests for this account. Please try again shortly.");
  }
  if (error instanceof SpApiNetworkError || (error instanceof SpApiError && error.retryable) || (error instanceof LwaError && error.retryable)) {
    return answer("service_unavailable", "Amazon did not answer. Please try again in a few minutes.");
  }
  return answer("bad_gateway", "Amazon refused the request.");
}

export function toErrorResponse(error: unknown): NextResponse<ErrorBody> {
  const { status, body, headers } = toErrorBody(error);
  return NextResponse.json(body, { status, headers });
}

/** Reads a JSON request body and validates it; malformed JSON is a 400, a schema failure a 422. */
export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    throw new ApiError("bad_request", "The request body must be valid JSON.");
  }
  return schema.parse(raw);
}

/** Validates URL search parameters (422 naming the parameter on failure). */
export function parseSearchParams<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  return schema.parse(Object.fromEntries(new URL(request.url).searchParams));
}
