import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { MODELS_AVAILABLE, validateResponse } from "./test-support/conformance";
import { authorize, call, start } from "./test-support/harness";

const PATH = "/sellers/v1/marketplaceParticipations";
const ACCOUNT = "/sellers/v1/account";

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

describe("Sellers v1 getAccount", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ timeScale: 60, sellers: 2, groundTruth: false });
  });
  afterAll(() => sb.close());

  it("describes the token's seller account: its store, business and contact, with the usage-plan header", async () => {
    const { accessToken } = await authorize(sb, 0);
    const res = await call(sb, accessToken, "GET", ACCOUNT);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.016");
    const address = { addressLine1: expect.stringMatching(/^\d+ \w/), city: expect.any(String), stateOrProvinceCode: expect.stringMatching(/^[A-Z]{2}$/), postalCode: expect.stringMatching(/^\d{5}$/), countryCode: "US" };
    expect(res.body.payload).toEqual({
      marketplaceParticipationList: (await call(sb, accessToken, "GET", PATH)).body.payload,
      businessType: "PRIVATE_LIMITED",
      sellingPlan: "PROFESSIONAL",
      business: { name: `${sb.sellers[0]!.name} LLC`, registeredBusinessAddress: address },
      primaryContact: { name: expect.stringMatching(/^\w+ \w+$/), address },
    });
    expect(res.body.payload.marketplaceParticipationList[0].storeName).toBe(sb.sellers[0]!.name);
  });

  it("answers for each token's own seller, the same way every time", async () => {
    const a = await authorize(sb, 0);
    const b = await authorize(sb, 1);
    const first = await call(sb, a.accessToken, "GET", ACCOUNT);
    const other = await call(sb, b.accessToken, "GET", ACCOUNT);
    expect(other.body.payload.business.name).toBe(`${sb.sellers[1]!.name} LLC`);
    expect(other.body.payload.marketplaceParticipationList[0].storeName).toBe(sb.sellers[1]!.name);
    expect(other.body.payload.primaryContact).not.toEqual(first.body.payload.primaryContact);
    const fresh = sb.grant(a.sellerId).accessToken;
    expect((await call(sb, fresh, "GET", ACCOUNT)).body).toEqual(first.body);
  });

  it("holds nothing Amazon's model lacks: in particular no selling partner id", async () => {
    const { accessToken } = await authorize(sb, 1);
    for (const [operation, path] of [["getAccount", ACCOUNT], ["getMarketplaceParticipations", PATH]] as const) {
      const res = await call(sb, accessToken, "GET", path);
      expect(res.status).toBe(200);
      for (const s of sb.sellers) expect(JSON.stringify(res.body)).not.toContain(s.sellingPartnerId);
      if (MODELS_AVAILABLE) expect(validateResponse(operation, 200, res.body, { noUndeclaredProperties: true })).toEqual([]);
    }
  });

  it("refuses a call without an access token as Amazon does", async () => {
    const res = await call(sb, null, "GET", ACCOUNT);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe("MissingAuthenticationToken");
  });
});
