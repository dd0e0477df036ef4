// What every SP-API operation goes through, in Amazon's order: request id, injected network faults,
// access-token check, injected 5xx/429, usage-plan bucket, handler, rate-limit header, call log.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccessCheck } from "../auth/token-store";
import type { CallLog } from "../call-log";
import type { SandboxClock } from "../clock";
import { type FaultConfig, rollFault, takePageTokenRefusal } from "../faults";
import type { Rng } from "../prng";
import { USAGE_PLANS, type OperationName, type UsagePlanLimiter } from "../usage-plans";
import { errorBody, quotaExceeded, SpApiError, unauthorized } from "./errors";
import { sendJson } from "./respond";
import { sandboxLog } from "../log";

export interface PipelineDeps {
  clock: SandboxClock;
  log: CallLog;
  limiter: UsagePlanLimiter;
  faults: () => FaultConfig;
  rng: Rng;
  checkAccess(token: string | undefined): AccessCheck;
}

const ACCESS_DETAILS: Record<Exclude<AccessCheck, { ok: true }>["reason"], string> = {
  missing: "",
  expired: "The access token you provided has expired.",
  invalid: "The access token you provided is revoked, malformed or invalid.",
  revoked: "The access token you provided is revoked, malformed or invalid.",
};

export async function runOperation(
  deps: PipelineDeps,
  operation: OperationName,
  req: IncomingMessage,
  res: ServerResponse,
  handler: (sellingPartnerId: string) => Promise<{ status: number; body?: unknown }>,
): Promise<void> {
  const requestId = randomUUID();
  let sellerId: string | null = null;
  const finish = (status: number) =>
    deps.log.add({
      time: deps.clock.now().toISOString(), realTime: new Date().toISOString(), operation, method: req.method ?? "GET",
      path: (req.url ?? "").split("?")[0] ?? "", sellingPartnerId: sellerId, status, requestId,
    });
  const faults = deps.faults();
  const latency = faults.latencyMs?.[operation] ?? faults.latencyMs?.["*"] ?? 0;
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  if (rollFault(deps.rng, faults.dropConnection, operation)) {
    finish(0);
    req.socket.destroy();
    return;
  }
  const fail = (err: SpApiError) => {
    const headers: Record<string, string> = { "x-amzn-RequestId": requestId };
    if (err.status === 400 || err.status === 404) headers["x-amzn-RateLimit-Limit"] = USAGE_PLANS[operation].header;
    if (err.errorType) headers["x-amzn-ErrorType"] = err.errorType;
    sendJson(res, err.status, errorBody(err), headers);
    finish(err.status);
  };
  const access = deps.checkAccess(req.headers["x-amz-access-token"] as string | undefined);
  if (!access.ok) {
    const err =
      access.reason === "missing"
        ? new SpApiError(403, "MissingAuthenticationToken", "Access to requested resource is denied.", "The request is missing the x-amz-access-token header.")
        : unauthorized(ACCESS_DETAILS[access.reason]);
    return fail(err);
  }
  // The call acts for the seller who consented to this token's refresh token, and only that seller:
  // nothing the client sends (query, headers, body, the redirect's selling_partner_id) can name another.
  sellerId = access.sellingPartnerId;
  if (rollFault(deps.rng, faults.error500, operation)) return fail(new SpApiError(500, "InternalFailure", "We encountered an internal error. Please try again."));
  if (rollFault(deps.rng, faults.error503, operation)) return fail(new SpApiError(503, "ServiceUnavailable", "Service is temporarily unavailable. Please try again."));
  if (rollFault(deps.rng, faults.throttle, operation) || !deps.limiter.take(operation, sellerId)) return fail(quotaExceeded());
  if (carriesPageToken(req) && takePageTokenRefusal(faults, operation)) return fail(new SpApiError(400, "InvalidInput", "Invalid nextToken."));
  try {
    const result = await handler(sellerId);
    const headers = { "x-amzn-RequestId": requestId, "x-amzn-RateLimit-Limit": USAGE_PLANS[operation].header };
    if (result.body === undefined) {
      res.writeHead(result.status, { ...headers, "content-length": 0 });
      res.end();
    } else {
      sendJson(res, result.status, result.body, headers);
    }
    finish(result.status);
  } catch (e) {
    if (e instanceof SpApiError) return fail(e);
    sandboxLog.error({ err: e, operation }, `${operation} failed`);
    fail(new SpApiError(500, "InternalFailure", "We encountered an internal error. Please try again."));
  }
}

/** The request pages on with a token (query nextToken / NextToken). */
function carriesPageToken(req: IncomingMessage): boolean {
  const query = new URL(req.url ?? "/", "http://sandbox").searchParams;
  return query.has("nextToken") || query.has("NextToken");
}
