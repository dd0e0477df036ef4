import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { APP, authorize, call, consentUrl, DAY, isoBeforeEnd, lwa, sleep, start, submitConsent } from "./test-support/harness";

const SCALE = 600; // 5 sandbox minutes = 0.5 s, one token hour = 6 s

describe("consent page", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: SCALE, sellers: 3, appName: "Recovery Test App" });
  });
  afterAll(() => sb.close());

  it("shows the app name and every selling account, preselecting the one in selling_partner_id", async () => {
    const second = sb.sellers[1]!;
    const res = await fetch(consentUrl(sb, { selling_partner_id: second.sellingPartnerId }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Recovery Test App");
    for (const s of sb.sellers) expect(html).toContain(s.sellingPartnerId);
    expect(html).toMatch(new RegExp(`<option value="${second.sellingPartnerId}" selected>`));
    expect(html).toContain('id="confirm"');
    expect(html).toContain('id="cancel"');
  });

  it("redirects Confirm to the redirect URI with spapi_oauth_code, state and selling_partner_id", async () => {
    const seller = sb.sellers[2]!;
    const res = await submitConsent(sb, { state: "abc 123", selling_partner_id: seller.sellingPartnerId });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(`${loc.origin}${loc.pathname}`).toBe(APP.redirectUri);
    expect(loc.searchParams.get("state")).toBe("abc 123");
    expect(loc.searchParams.get("selling_partner_id")).toBe(seller.sellingPartnerId);
    expect(loc.searchParams.get("spapi_oauth_code")).toMatch(/^\S{10,}$/);
  });

  it("redirects Cancel with error=access_denied and the state, and no code", async () => {
    const res = await submitConsent(sb, { state: "xyz", action: "cancel" });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("state")).toBe("xyz");
    expect(loc.searchParams.has("spapi_oauth_code")).toBe(false);
  });

  it("shows an error page without redirecting for an unknown application_id or an unregistered redirect_uri", async () => {
    const cases: Array<Record<string, string>> = [{ application_id: "amzn1.sp.solution.other" }, { redirect_uri: "https://evil.example/cb" }, { version: "" }];
    for (const params of cases) {
      const res = await fetch(consentUrl(sb, params), { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain('id="error"');
    }
    const post = await submitConsent(sb, { state: "s", redirect_uri: "https://evil.example/cb" });
    expect(post.status).toBe(400);
    expect(post.headers.get("location")).toBeNull();
  });
});

describe("LWA token endpoint", () => {
  // x120: a code lives 2.5 s real, enough slack for a loaded CI box.
  const LWA_SCALE = 120;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: LWA_SCALE, sellers: 2 });
  });
  afterAll(() => sb.close());

  const code = async (sellerIndex = 0) => {
    const res = await submitConsent(sb, { state: "s", selling_partner_id: sb.sellers[sellerIndex]!.sellingPartnerId });
    return new URL(res.headers.get("location")!).searchParams.get("spapi_oauth_code")!;
  };

  it("exchanges a code once for bearer tokens that expire in 3600 s", async () => {
    const c = await code();
    const ok = await lwa(sb, { grant_type: "authorization_code", code: c, redirect_uri: APP.redirectUri });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(String(ok.body.access_token)).toMatch(/^Atza\|/);
    expect(String(ok.body.refresh_token)).toMatch(/^Atzr\|/);
    const again = await lwa(sb, { grant_type: "authorization_code", code: c, redirect_uri: APP.redirectUri });
    expect(again).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "The request has an invalid grant parameter : code" } });
  });

  it("rejects a code older than 5 minutes of sandbox time and a redirect_uri mismatch with invalid_grant", async () => {
    const late = await code();
    await sleep((5 * 60_000) / LWA_SCALE + 150);
    expect((await lwa(sb, { grant_type: "authorization_code", code: late, redirect_uri: APP.redirectUri })).body.error).toBe("invalid_grant");
    const mismatch = await code();
    expect((await lwa(sb, { grant_type: "authorization_code", code: mismatch, redirect_uri: "http://localhost:3000/other" })).body.error).toBe("invalid_grant");
  });

  it("answers bad client credentials, unknown grants and missing parameters with Amazon's error codes", async () => {
    const badClient = await lwa(sb, { grant_type: "refresh_token", refresh_token: "Atzr|x", client_secret: "wrong" });
    expect(badClient.status).toBe(401);
    expect(badClient.body.error).toBe("invalid_client");
    expect((await lwa(sb, { grant_type: "password" })).body.error).toBe("unsupported_grant_type");
    const missing = await lwa(sb, { grant_type: "authorization_code" });
    expect(missing).toEqual({ status: 400, body: { error: "invalid_request", error_description: "The request is missing a required parameter : code" } });
    const json = await fetch(sb.lwaTokenUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(((await json.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("refreshes an access token that belongs to the same selling partner", async () => {
    const { refreshToken, sellerId } = await authorize(sb, 1);
    const r = await lwa(sb, { grant_type: "refresh_token", refresh_token: refreshToken });
    expect(r.status).toBe(200);
    await call(sb, String(r.body.access_token), "GET", "/reports/2021-06-30/reports", { query: { reportTypes: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2" } });
    expect(sb.calls().at(-1)).toMatchObject({ operation: "getReports", sellingPartnerId: sellerId, status: 200 });
  });
});

describe("access tokens on SP-API calls", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: 3600, sellers: 2 });
  });
  afterAll(() => sb.close());
  const path = "/reports/2021-06-30/reports";
  const query = { reportTypes: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2" };

  it("answers a missing token with 403 MissingAuthenticationToken and no rate-limit header", async () => {
    const r = await call(sb, null, "GET", path, { query });
    expect(r.status).toBe(403);
    expect(r.body.errors[0]).toMatchObject({ code: "MissingAuthenticationToken", message: "Access to requested resource is denied." });
    expect(r.headers.get("x-amzn-RateLimit-Limit")).toBeNull();
    expect(r.headers.get("x-amzn-RequestId")).toBeTruthy();
  });

  it("answers an unknown token with 403 Unauthorized", async () => {
    const r = await call(sb, "Atza|nope", "GET", path, { query });
    expect(r.status).toBe(403);
    expect(r.body.errors[0]).toMatchObject({ code: "Unauthorized", message: "Access to requested resource is denied." });
  });

  it("expires access tokens after 3600 s of sandbox time with Amazon's expired-token details", async () => {
    const { accessToken } = await authorize(sb, 0);
    expect((await call(sb, accessToken, "GET", path, { query })).status).toBe(200);
    await sleep(1_050); // > 1 sandbox hour at x3600
    const r = await call(sb, accessToken, "GET", path, { query });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] });
  });

  it("revocation makes refresh fail with invalid_grant and kills live access tokens of that seller only", async () => {
    const a = await authorize(sb, 0);
    const b = await authorize(sb, 1);
    const res = await fetch(new URL(`/__sandbox/sellers/${a.sellerId}/revoke`, sb.url), { method: "POST" });
    expect(res.status).toBe(200);
    const refresh = await lwa(sb, { grant_type: "refresh_token", refresh_token: a.refreshToken });
    expect(refresh).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission." },
    });
    expect((await call(sb, a.accessToken, "GET", path, { query })).status).toBe(403);
    expect((await call(sb, b.accessToken, "GET", path, { query })).status).toBe(200);
    // Consenting again restores access.
    const again = await authorize(sb, 0);
    expect((await call(sb, again.accessToken, "GET", path, { query })).status).toBe(200);
  });
});

describe("authorization bound to the seller who consented", () => {
  // x60: a code lives 5 s real and an access token 60 s, so nothing expires during the test.
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: 60, sellers: 2, groundTruth: false });
  });
  afterAll(() => sb.close());

  const US = "ATVPDKIKX0DER";
  const ordersOf = async (token: string) => {
    const r = await call(sb, token, "GET", "/orders/v0/orders", { query: { MarketplaceIds: US, CreatedAfter: isoBeforeEnd(sb, 3 * DAY), CreatedBefore: isoBeforeEnd(sb, 2 * DAY) } });
    expect(r.status).toBe(200);
    return (r.body.payload.Orders as Array<{ AmazonOrderId: string }>).map((o) => o.AmazonOrderId);
  };

  it("gives a code consented as A tokens that act as A only, whatever selling_partner_id the redirect or the token request claims", async () => {
    const [a, b] = [sb.sellers[0]!, sb.sellers[1]!];
    // The consent URL may preselect any account; what counts is the one the user confirms.
    const page = await (await fetch(consentUrl(sb, { selling_partner_id: b.sellingPartnerId }))).text();
    expect(page).toContain(`<option value="${b.sellingPartnerId}" selected>`);
    const res = await submitConsent(sb, { state: "st", selling_partner_id: a.sellingPartnerId });
    const redirect = new URL(res.headers.get("location")!);
    expect(redirect.searchParams.get("selling_partner_id")).toBe(a.sellingPartnerId);

    // Whoever holds the redirect can rewrite it before it reaches the app's callback.
    redirect.searchParams.set("selling_partner_id", b.sellingPartnerId);
    const forged = redirect.searchParams.get("selling_partner_id")!;
    const exchanged = await lwa(sb, { grant_type: "authorization_code", code: redirect.searchParams.get("spapi_oauth_code")!, redirect_uri: APP.redirectUri, selling_partner_id: forged });
    expect(exchanged.status).toBe(200);
    const refreshed = await lwa(sb, { grant_type: "refresh_token", refresh_token: String(exchanged.body.refresh_token), selling_partner_id: forged });
    expect(refreshed.status).toBe(200);

    const aOrders = await ordersOf(sb.grant(a.sellingPartnerId).accessToken);
    const bOrders = await ordersOf(sb.grant(b.sellingPartnerId).accessToken);
    expect(aOrders.length).toBeGreaterThan(0);
    expect(bOrders.filter((id) => aOrders.includes(id))).toEqual([]);
    for (const token of [String(exchanged.body.access_token), String(refreshed.body.access_token)]) {
      const account = await call(sb, token, "GET", "/sellers/v1/account");
      expect(account.body.payload.business.name).toBe(`${a.name} LLC`);
      expect((await call(sb, token, "GET", "/sellers/v1/marketplaceParticipations")).body.payload[0].storeName).toBe(a.name);
      expect(await ordersOf(token)).toEqual(aOrders);
      expect((await call(sb, token, "GET", `/orders/v0/orders/${bOrders[0]}/orderItems`)).status).toBe(404);
      expect((await call(sb, token, "GET", `/orders/v0/orders/${aOrders[0]}/orderItems`)).status).toBe(200);
      expect(sb.calls().at(-1)).toMatchObject({ operation: "getOrderItems", sellingPartnerId: a.sellingPartnerId });
    }

    // The token store agrees: only A's revocation reaches these tokens.
    const token = String(refreshed.body.access_token);
    sb.revoke(b.sellingPartnerId);
    expect((await call(sb, token, "GET", "/sellers/v1/account")).status).toBe(200);
    sb.revoke(a.sellingPartnerId);
    expect((await call(sb, token, "GET", "/sellers/v1/account")).status).toBe(403);
  });
});
