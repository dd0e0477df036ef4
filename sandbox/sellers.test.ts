import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { authorize, call, start } from "./test-support/harness";

const PATH = "/sellers/v1/marketplaceParticipations";

describe("Sellers v1 getMarketplaceParticipations", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: 60, sellers: 2, groundTruth: false });
  });
  afterAll(() => sb.close());

  it("names the authorized seller's marketplaces, with the usage-plan header", async () => {
    const { accessToken } = await authorize(sb, 1);
    const res = await call(sb, accessToken, "GET", PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.016");
    expect(res.body.payload).toEqual([
      {
        marketplace: expect.objectContaining({ id: "ATVPDKIKX0DER", countryCode: "US", defaultCurrencyCode: "USD" }),
        storeName: sb.sellers[1]!.name,
        participation: { isParticipating: true, hasSuspendedListings: false },
      },
    ]);
  });

  it("refuses a call without an access token as Amazon does", async () => {
    const res = await call(sb, null, "GET", PATH);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe("MissingAuthenticationToken");
  });
});
