// GET /api/metrics: Prometheus' text format (lib/observability/metrics.ts). For a signed-in operator,
// or a scraper sending `Authorization: Bearer <METRICS_TOKEN>`; everyone else, signed in or not, gets
// the 404 of an unknown API path. Token scrapes do not count against the API rate limit (a scraper
// every 15 s would use up its address's budget); every other request does, as on the operator routes.
import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { otherMethods, withRequest } from "@/lib/api/route-wrappers";
import { getCurrentUser, isOperator } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { enforceApiRateLimit } from "@/lib/http/rate-limit";
import { metricsText, registry } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether the request carries the configured METRICS_TOKEN as its bearer (compared in constant time). */
function hasMetricsToken(request: Request): boolean {
  const token = env().METRICS_TOKEN;
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  // Digests have one length, so the comparison takes as long whatever was sent.
  return !!match && timingSafeEqual(digest(match[1]!), digest(token));
}

export const GET = withRequest(async (request) => {
  if (!hasMetricsToken(request)) {
    const user = await getCurrentUser();
    await enforceApiRateLimit(request, user);
    if (!user || !isOperator(user)) throw new ApiError("not_found", "No API endpoint at this path.");
  }
  return new Response(await metricsText(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
