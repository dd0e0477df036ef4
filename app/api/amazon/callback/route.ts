import { NextResponse } from "next/server";
import { amazonConnected, inngest } from "@/inngest/client";
import { amazonAppOrThrow } from "@/lib/sellers/amazon-app";
import { completeAmazonConsent } from "@/lib/sellers/complete-amazon-consent";
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { connectJob } from "@/lib/sync/connect-sync";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { enforceApiRateLimit } from "@/lib/http/rate-limit";
import { otherMethods } from "@/lib/api/route-wrappers";

export const dynamic = "force-dynamic";

/** A caller that asks for JSON (seed 000's client) rather than a page. */
function wantsJson(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/**
 * Amazon's redirect after the consent page (also served at seed 000's /api/amazon/oauth-callback).
 * Answers with a redirect to a page, or `{ jobId, status, message }` to a caller asking for JSON;
 * never with tokens. The sync it starts is never awaited: the answer does not wait for it.
 */
export async function GET(request: Request) {
  const appUrl = env().APP_URL;
  const to = (path: string) =>
    NextResponse.redirect(new URL(path, appUrl), { status: 303, headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" } });
  try {
    const user = await getCurrentUser();
    await enforceApiRateLimit(request, user);
    if (!user) {
      if (wantsJson(request)) throw new ApiError("unauthorized", "Sign in to continue.");
      return to("/signin?callbackUrl=%2Fdashboard&error=SessionRequired");
    }
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const result = await completeAmazonConsent(user.id, query, {
      app: amazonAppOrThrow(),
      notifyConnected: async (data, { id }) => {
        await inngest.send(amazonConnected.create(data, { id }));
      },
    });
    if (!result.ok) {
      if (wantsJson(request)) throw new ApiError("bad_request", `Amazon consent could not be completed: ${result.failure}.`);
      return to(`/connect-amazon?result=${result.failure}`);
    }
    if (wantsJson(request)) return NextResponse.json(await connectJob(result.sellerConnectionId), { headers: { "cache-control": "no-store" } });
    return to(`/dashboard?connected=${result.sellerConnectionId}`);
  } catch (error) {
    return toErrorResponse(error);
  }
}

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
