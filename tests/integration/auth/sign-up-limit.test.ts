// Sign-up is limited per client address (3 per hour in this file): a burst of parallel sign-ups from
// one address creates at most that many accounts.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stampedHeadersForTests } from "@/lib/http/client-address";
import { db } from "@/lib/db";
import { uniqueEmail } from "../../support/factories";

vi.stubEnv("SIGNUP_RATE_LIMIT_MAX", "3");
vi.stubEnv("SIGNUP_RATE_LIMIT_WINDOW_SECONDS", "3600");
const { POST } = await import("@/app/api/auth/signup/route");

let n = 0;
const address = () => `198.19.${Math.floor(Math.random() * 200)}.${(n++ % 250) + 1}`;
const signUp = (from: string, body: unknown) =>
  POST(
    new Request("http://app/api/auth/signup", {
      method: "POST",
      headers: stampedHeadersForTests(from, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    }),
  );

afterAll(() => vi.unstubAllEnvs());

describe("sign-up limit", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2033-04-05T06:07:08Z") });
  });
  afterEach(() => vi.useRealTimers());

  it("creates at most the limit of accounts from 30 parallel sign-ups of one address", async () => {
    const from = address();
    const emails = Array.from({ length: 30 }, () => uniqueEmail("burst"));
    const responses = await Promise.all(emails.map((email) => signUp(from, { email, password: "parallel pass 42" })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(27);
    const refused = responses.find((response) => response.status === 429)!;
    expect(refused.headers.get("retry-after")).toBe("3600");
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(await db.user.count({ where: { email: { in: emails } } })).toBe(3);
    // Another address is not affected.
    expect((await signUp(address(), { email: uniqueEmail(), password: "parallel pass 42" })).status).toBe(201);
  });

  it("does not count requests refused as invalid, and opens again after the window", async () => {
    const from = address();
    expect((await signUp(from, { email: "not-an-email", password: "x" })).status).toBe(422);
    expect((await signUp(from, { email: "nul\u0000@example.test", password: "valid pass 42" })).status).toBe(422);
    for (let i = 0; i < 3; i++) expect((await signUp(from, { email: uniqueEmail(), password: "valid pass 42" })).status).toBe(201);
    expect((await signUp(from, { email: uniqueEmail(), password: "valid pass 42" })).status).toBe(429);
    vi.setSystemTime(new Date("2033-04-05T07:07:08Z"));
    expect((await signUp(from, { email: uniqueEmail(), password: "valid pass 42" })).status).toBe(201);
  });
});
