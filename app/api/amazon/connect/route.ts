import { NextResponse } from "next/server";
import { buildConsentUrl } from "@/lib/amazon/regions";
import { amazonAppOrThrow } from "@/lib/sellers/amazon-app";
import { createOAuthState } from "@/lib/sellers/oauth-state";
import { otherMethods, withUser } from "@/lib/api/route-wrappers";

export const dynamic = "force-dynamic";

/** Sends the signed-in user to Amazon's consent page with a fresh single-use state. */
export const GET = withUser(async (_request, { user }) => {
  const app = amazonAppOrThrow();
  const state = await createOAuthState(user.id, app.region);
  const consentUrl = buildConsentUrl({
    consentUrl: app.consentUrl,
    applicationId: app.appId,
    state,
    redirectUri: app.redirectUri,
    beta: app.isDraft,
  });
  return NextResponse.redirect(consentUrl, { status: 302, headers: { "cache-control": "no-store" } });
});

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
