// The client a step uses: at most two tries of a call, a bounded usage-plan wait, and no client at
// all for a seller who is not connected. Amazon is played by a fetch at the edge.
import { describe, expect, it } from "vitest";
import { spApiConfigForRegion } from "@/lib/amazon/config";
import { RateLimitWaitError, SellerNotConnectedError, SpApiError } from "@/lib/amazon/errors";
import { PostgresRateLimiter } from "@/lib/amazon/rate-limit/postgres-bucket";
import { encrypt } from "@/lib/crypto/token-cipher";
import { db } from "@/lib/db";
import { tokenKeyring, type AmazonApp } from "@/lib/sellers/amazon-app";
import { spApiClientForStep, STEP_MAX_ATTEMPTS } from "@/lib/sellers/sp-api-client-for-step";
import { createUser, sellingPartnerId } from "../../support/factories";

function fakeAmazon(spApiStatus: number) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    calls.push(url.pathname);
    if (url.pathname === "/auth/o2/token") {
      return Response.json({ access_token: "Atza|test", token_type: "bearer", expires_in: 3600 });
    }
    return Response.json({ errors: [{ code: "InternalFailure", message: "boom" }] }, { status: spApiStatus });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

function appWith(fetch: typeof globalThis.fetch, plans?: NonNullable<ConstructorParameters<typeof PostgresRateLimiter>[0]>["plans"]): AmazonApp {
  return {
    region: "NA",
    appId: "amzn1.sp.solution.test",
    consentUrl: "https://sellercentral.example.test/apps/authorize/consent",
    redirectUri: "http://localhost:3000/api/amazon/callback",
    isDraft: false,
    isSandbox: true,
    spApi: spApiConfigForRegion(
      { region: "NA", clientId: "client", clientSecret: "secret", spApiEndpoint: "http://amazon.test", lwaEndpoint: "http://amazon.test/auth/o2/token" },
      { fetch, rateLimiter: new PostgresRateLimiter({ plans }), retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 } },
    ),
  };
}

async function connection(status = "connected", partnerId = sellingPartnerId()) {
  const user = await createUser();
  return db.sellerConnection.create({
    data: {
      userId: user.id,
      sellingPartnerId: partnerId,
      region: "NA",
      marketplaceIds: ["ATVPDKIKX0DER"],
      status,
      refreshTokenEncrypted: status === "connected" ? encrypt("Atzr|refresh", tokenKeyring()) : null,
    },
  });
}

describe("spApiClientForStep", () => {
  it("tries a failing call at most twice, whatever the app's own retry setting", async () => {
    const amazon = fakeAmazon(503);
    const client = await spApiClientForStep((await connection()).id, appWith(amazon.fetch));
    await expect(client.getReport("r1")).rejects.toBeInstanceOf(SpApiError);
    expect(amazon.calls.filter((path) => path.startsWith("/reports/")).length).toBe(STEP_MAX_ATTEMPTS);
  });

  it("gives a long usage-plan wait back instead of waiting inside the step", async () => {
    const amazon = fakeAmazon(503);
    // One token, then one a minute: the second call would wait about 60 s.
    const client = await spApiClientForStep((await connection()).id, appWith(amazon.fetch, { getReport: { rate: 1 / 60, burst: 1 } }));
    await client.getReport("r1").catch(() => undefined);
    const started = Date.now();
    const refused = await client.getReport("r2").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitWaitError);
    expect((refused as RateLimitWaitError).retryAfterMs).toBeGreaterThan(30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("keys usage-plan buckets by what the token proved, not by the claimed selling partner id", async () => {
    const amazon = fakeAmazon(400); // refused at once: one call per getReport, no retry
    const claimed = sellingPartnerId();
    const plans = { getReport: { rate: 1 / 60, burst: 1 } };
    // Two users' connections under the same (unprovable) label: one exhausting its bucket leaves the other's alone.
    const first = await spApiClientForStep((await connection("connected", claimed)).id, appWith(amazon.fetch, plans));
    const second = await spApiClientForStep((await connection("connected", claimed)).id, appWith(amazon.fetch, plans));
    await first.getReport("r1").catch(() => undefined);
    await expect(first.getReport("r2")).rejects.toBeInstanceOf(RateLimitWaitError);
    await expect(second.getReport("r3")).rejects.toBeInstanceOf(SpApiError);
  });

  it("refuses a seller who is disconnected or unknown", async () => {
    const amazon = fakeAmazon(200);
    await expect(spApiClientForStep((await connection("disconnected")).id, appWith(amazon.fetch))).rejects.toBeInstanceOf(SellerNotConnectedError);
    await expect(spApiClientForStep("no-such-connection", appWith(amazon.fetch))).rejects.toBeInstanceOf(SellerNotConnectedError);
    expect(amazon.calls).toEqual([]);
  });
});
