import { describe, expect, it } from "vitest";
import { AccessTokenCache } from "./access-token-cache";
import type { SpApiConfig } from "./config";
import { LwaError, RateLimitWaitError, SellerDisconnectedError, SpApiError, SpApiNetworkError, SpApiResponseValidationError } from "./errors";
import { exchangeAuthorizationCode } from "./lwa";
import { TokenBucketRateLimiter } from "./rate-limit/token-bucket";
import { createSpApiClient } from "./sp-api-client";
import { VirtualTime } from "../../tests/support/amazon/virtual-time";

const REFRESH = "Atzr|refresh-token-SECRET-123";
const SECRET = "client-secret-XYZ";
const LWA = "https://lwa.test/auth/o2/token";
const API = "https://api.test";

interface Seen {
  url: URL;
  method: string;
  headers: Headers;
  body: string;
}

type Handler = (req: Seen) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "x-amzn-requestid": `req-${status}`, ...headers } });
}

function setup(handler: Handler, overrides: Partial<SpApiConfig> = {}) {
  const vt = new VirtualTime();
  const seen: Seen[] = [];
  let tokenNo = 0;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Seen = { url: new URL(String(input)), method: init?.method ?? "GET", headers: new Headers(init?.headers), body: String(init?.body ?? "") };
    seen.push(req);
    if (req.url.toString() === LWA) {
      const form = new URLSearchParams(req.body);
      if (form.get("refresh_token") === REFRESH || form.get("code") === "good-code") {
        tokenNo++;
        return json(200, { access_token: `Atza|access-${tokenNo}`, refresh_token: REFRESH, token_type: "bearer", expires_in: 3600 });
      }
      return json(400, { error: "invalid_grant", error_description: `The request has an invalid grant parameter : ${form.has("code") ? "code" : "refresh_token"}` });
    }
    return handler(req);
  }) as typeof fetch;
  const config: SpApiConfig = {
    spApiEndpoint: API,
    lwaEndpoint: LWA,
    clientId: "amzn1.application-oa2-client.test",
    clientSecret: SECRET,
    clock: vt.clock,
    sleep: vt.sleep,
    fetch: fakeFetch,
    rateLimiter: new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep }),
    tokenCache: new AccessTokenCache(),
    random: () => 0.5,
    retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 },
    ...overrides,
  };
  const client = createSpApiClient(config, { sellingPartnerId: "A1SELLER", refreshToken: REFRESH });
  const apiCalls = () => seen.filter((s) => s.url.origin === API);
  const lwaCalls = () => seen.filter((s) => s.url.toString() === LWA);
  return { vt, client, config, seen, apiCalls, lwaCalls };
}

const report = { reportId: "R1", reportType: "GET_LEDGER_DETAIL_VIEW_DATA", createdTime: "2026-01-01T00:00:00Z", processingStatus: "IN_QUEUE" };

describe("SpApiClient", () => {
  it("sends the access token and user agent, builds csv arrays, and validates the body", async () => {
    const { vt, client, apiCalls } = setup(() => json(200, { reports: [report], nextToken: "NT" }));
    const page = await vt.run(client.getReports({ reportTypes: ["A", "B"], pageSize: 100 }));
    expect(page.reports[0]!.processingStatus).toBe("IN_QUEUE");
    const call = apiCalls()[0]!;
    expect(call.url.pathname).toBe("/reports/2021-06-30/reports");
    expect(call.url.searchParams.get("reportTypes")).toBe("A,B");
    expect(call.headers.get("x-amz-access-token")).toBe("Atza|access-1");
    expect(call.headers.get("user-agent")).toMatch(/Language=TypeScript/);
    await vt.run(client.getReports({ nextToken: "NT" }));
    expect([...apiCalls()[1]!.url.searchParams.keys()]).toEqual(["nextToken"]);
  });

  it("reuses the cached access token and refreshes it 5 minutes before expiry", async () => {
    const { vt, client, lwaCalls } = setup(() => json(200, report));
    await vt.run(client.getReport("R1"));
    vt.advance(54 * 60_000);
    await vt.run(client.getReport("R1"));
    expect(lwaCalls()).toHaveLength(1);
    vt.advance(2 * 60_000); // 56 min: inside the 5-minute margin
    await vt.run(client.getReport("R1"));
    expect(lwaCalls()).toHaveLength(2);
  });

  it("shares one refresh between concurrent calls", async () => {
    const { vt, client, lwaCalls } = setup(() => json(200, report));
    await vt.run(Promise.all([client.getReport("R1"), client.getReport("R1"), client.getReport("R1")]));
    expect(lwaCalls()).toHaveLength(1);
  });

  it("refreshes the token once on 403 and retries, then fails on a second 403", async () => {
    let n = 0;
    const { vt, client, lwaCalls, apiCalls } = setup((req) => {
      n++;
      if (req.headers.get("x-amz-access-token") === "Atza|access-1") {
        return json(403, { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] });
      }
      return json(200, report);
    });
    await expect(vt.run(client.getReport("R1"))).resolves.toMatchObject({ reportId: "R1" });
    expect(lwaCalls()).toHaveLength(2);
    expect(n).toBe(2);

    const always = setup(() => json(403, { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied." }] }));
    const err = await always.vt.run(always.client.getReport("R1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpApiError);
    expect(err).toMatchObject({ status: 403, code: "Unauthorized", requestId: "req-403" });
    expect(always.apiCalls()).toHaveLength(2);
    expect(always.lwaCalls()).toHaveLength(2);
    void apiCalls;
  });

  it("retries 429 and 5xx with growing backoff, then succeeds", async () => {
    const statuses = [429, 500, 503];
    const { vt, client, apiCalls } = setup(() => {
      const s = statuses.shift();
      return s ? json(s, { errors: [{ code: s === 429 ? "QuotaExceeded" : "InternalFailure", message: "x" }] }) : json(200, report);
    });
    const start = vt.clock.now();
    await vt.run(client.getReport("R1"));
    expect(apiCalls()).toHaveLength(4);
    // random = 0.5 → 0.75 × (1 s, 2 s, 4 s) of backoff at least.
    expect(vt.clock.now() - start).toBeGreaterThanOrEqual(750 + 1500 + 3000);
  });

  it("stops after maxAttempts with a typed error carrying Amazon's code, message, details and request id", async () => {
    const { vt, client, apiCalls } = setup(() =>
      json(429, { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] }, { "x-amzn-requestid": "rid-9" }),
    );
    const err = (await vt.run(client.getReport("R1")).catch((e: unknown) => e)) as SpApiError;
    expect(err).toBeInstanceOf(SpApiError);
    expect(err).toMatchObject({ status: 429, code: "QuotaExceeded", requestId: "rid-9", operation: "getReport", retryable: true });
    expect(err.message).toContain("rid-9");
    expect(apiCalls()).toHaveLength(4);
  });

  it("does not retry a 400", async () => {
    const { vt, client, apiCalls } = setup(() => json(400, { errors: [{ code: "InvalidInput", message: "Invalid input", details: "reportType" }] }));
    const err = (await vt.run(client.createReport({ reportType: "X", marketplaceIds: ["ATVPDKIKX0DER"] })).catch((e: unknown) => e)) as SpApiError;
    expect(err).toMatchObject({ status: 400, code: "InvalidInput", details: "reportType", retryable: false });
    expect(apiCalls()).toHaveLength(1);
  });

  it("retries network errors and reports them typed when they persist", async () => {
    let fail = 2;
    const flaky = setup(() => {
      if (fail-- > 0) throw new TypeError("fetch failed");
      return json(200, report);
    });
    await expect(flaky.vt.run(flaky.client.getReport("R1"))).resolves.toMatchObject({ reportId: "R1" });
    const dead = setup(() => {
      throw new TypeError("fetch failed");
    });
    await expect(dead.vt.run(dead.client.getReport("R1"))).rejects.toBeInstanceOf(SpApiNetworkError);
    expect(dead.apiCalls()).toHaveLength(4);
  });

  it("rejects a 2xx body that does not match the model", async () => {
    const { vt, client } = setup(() => json(200, { reportId: "R1", processingStatus: "WEIRD" }));
    await expect(vt.run(client.getReport("R1"))).rejects.toBeInstanceOf(SpApiResponseValidationError);
  });

  it("adopts x-amzn-RateLimit-Limit from responses", async () => {
    const limiter = new TokenBucketRateLimiter();
    const { vt, client } = setup(() => json(200, report, { "x-amzn-ratelimit-limit": "0.25" }), { rateLimiter: limiter });
    await vt.run(client.getReport("R1"));
    expect(limiter.planOf("A1SELLER", "getReport")).toEqual({ rate: 0.25, burst: 15 });
  });

  it("turns a rejected refresh token into SellerDisconnectedError without retrying", async () => {
    const { vt, config, apiCalls, seen } = setup(() => json(200, report));
    const client = createSpApiClient(config, { sellingPartnerId: "A1SELLER", refreshToken: "Atzr|revoked-SECRET" });
    const err = await vt.run(client.getReport("R1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SellerDisconnectedError);
    expect(err).toBeInstanceOf(LwaError);
    expect(err).toMatchObject({ oauthError: "invalid_grant", sellingPartnerId: "A1SELLER" });
    expect(seen).toHaveLength(1);
    expect(apiCalls()).toHaveLength(0);
    expect(String((err as Error).message)).not.toContain("revoked-SECRET");
  });

  it("never puts a secret in an error message, even when Amazon echoes one", async () => {
    const { vt, client } = setup((req) =>
      json(400, { errors: [{ code: "InvalidInput", message: `bad token ${req.headers.get("x-amz-access-token")}`, details: `refresh ${REFRESH} secret ${SECRET}` }] }),
    );
    const err = (await vt.run(client.getReport("R1")).catch((e: unknown) => e)) as SpApiError;
    const everything = JSON.stringify({ m: err.message, e: err.errors, d: err.details });
    expect(everything).not.toContain("access-1");
    expect(everything).not.toContain("refresh-token-SECRET");
    expect(everything).not.toContain(SECRET);
    expect(JSON.stringify(client)).not.toContain("SECRET");
  });

  it("exchanges an authorization code with a form-encoded body and reports invalid_grant on a bad code", async () => {
    const { vt, config, lwaCalls } = setup(() => json(200, {}));
    const tokens = await vt.run(exchangeAuthorizationCode(config, { code: "good-code", redirectUri: "https://app.test/cb" }));
    expect(tokens).toMatchObject({ refreshToken: REFRESH, accessToken: "Atza|access-1", expiresIn: 3600 });
    const sent = lwaCalls()[0]!;
    expect(sent.headers.get("content-type")).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
      grant_type: "authorization_code",
      code: "good-code",
      redirect_uri: "https://app.test/cb",
      client_id: "amzn1.application-oa2-client.test",
      client_secret: SECRET,
    });
    expect(sent.url.search).toBe("");
    const err = await vt.run(exchangeAuthorizationCode(config, { code: "used-code", redirectUri: "https://app.test/cb" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LwaError);
    expect(err).not.toBeInstanceOf(SellerDisconnectedError);
    expect(err).toMatchObject({ oauthError: "invalid_grant", status: 400, grantType: "authorization_code" });
    expect(lwaCalls()).toHaveLength(2); // 4xx from LWA is not retried
  });

  it("pages financial events, resending the arguments with NextToken", async () => {
    const pages = [
      { payload: { NextToken: "t1", FinancialEvents: { ShipmentEventList: [] } } },
      { payload: { NextToken: "t2", FinancialEvents: {} } },
      { payload: { FinancialEvents: { AdjustmentEventList: [{ AdjustmentType: "FBAInventoryReimbursement", AdjustmentAmount: { CurrencyCode: "USD", CurrencyAmount: 12.5 } }], NewUnknownEventList: [{}] } } },
    ];
    const { vt, client, apiCalls } = setup(() => json(200, pages.shift()));
    const got: unknown[] = [];
    await vt.run(
      (async () => {
        for await (const p of client.listFinancialEventsPages({ PostedAfter: "2026-01-01T00:00:00Z", PostedBefore: "2026-02-01T00:00:00Z", MaxResultsPerPage: 100 })) got.push(p);
      })(),
    );
    expect(got).toHaveLength(3);
    expect(apiCalls().map((c) => c.url.searchParams.get("NextToken"))).toEqual([null, "t1", "t2"]);
    expect(apiCalls()[2]!.url.searchParams.get("PostedAfter")).toBe("2026-01-01T00:00:00Z");
    expect((got[2] as { FinancialEvents: Record<string, unknown> }).FinancialEvents.NewUnknownEventList).toEqual([{}]);
  });

  it("throws RateLimitWaitError instead of waiting past maxRateLimitWaitMs, without sending", async () => {
    const { vt, client, apiCalls } = setup(() => json(202, { reportId: "R9" }), { maxRateLimitWaitMs: 10_000 });
    const results = await vt.run(
      Promise.allSettled(Array.from({ length: 16 }, () => client.createReport({ reportType: "GET_LEDGER_DETAIL_VIEW_DATA", marketplaceIds: ["ATVPDKIKX0DER"] }))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(15); // the burst
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(RateLimitWaitError);
    expect(apiCalls()).toHaveLength(15);
  });
});
