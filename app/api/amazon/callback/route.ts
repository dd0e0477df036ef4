import { NextResponse } from "next/server";
import { amazonConnected, inngest } from "@/inngest/client";
import { amazonAppOrThrow } from "@/lib/sellers/amazon-app";
import { completeAmazonConsent } from "@/lib/sellers/complete-amazon-consent";
import { toErrorResponse } from "@/lib/api/errors";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { enforceApiRateLimit } from "@/lib/http/rate-limit";
import { otherMethods } from "@/lib/api/route-wrappers";

export const dynamic = "force-dynamic";

/** Amazon's redirect after the consent page. Answers with a redirect to a page, never with tokens. */
export async function GET(request: Request) {
  const appUrl = env().APP_URL;
  const to = (path: string) =>
    NextResponse.redirect(new URL(path, appUrl), { status: 303, headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" } });
  try {
    const user = await getCurrentUser();
    await enforceApiRateLimit(request, user);
    if (!user) return to("/signin?callbackUrl=%2Fdashboard&error=SessionRequired");
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const result = await completeAmazonConsent(user.id, query, {
      app: amazonAppOrThrow(),
      notifyConnected: async (data, { id }) => {
        await inngest.send(amazonConnected.create(data, { id }));
      },
    });
    if (!result.ok) return to(`/connect-amazon?result=${result.failure}`);
    return to(`/dashboard?connected=${result.sellerConnectionId}`);
  } catch (error) {
    return toErrorResponse(error);
  }
}

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
