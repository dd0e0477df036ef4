// Control characters (a NUL byte above all: PostgreSQL refuses the statement) in ids, filters and
// query strings are answered as invalid input, never as a 500 or a database error.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";

// The callback needs an Amazon app configured; nothing here reaches Amazon (the state is unknown).
vi.stubEnv("AMAZON_APP_ID", "amzn1.sp.solution.test");
vi.stubEnv("AMAZON_CLIENT_ID", "amzn1.application-oa2-client.test");
vi.stubEnv("AMAZON_CLIENT_SECRET", "test-secret");
// The runs API is for operators, named in OPERATOR_EMAILS.
const OPERATOR = `operator-${Math.random().toString(36).slice(2)}@example.test`;
vi.stubEnv("OPERATOR_EMAILS", OPERATOR);

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const { GET: listRuns } = await import("@/app/api/runs/route");
const { GET: getRun } = await import("@/app/api/runs/[runId]/route");
const { POST: disconnect } = await import("@/app/api/amazon/connections/[sellerConnectionId]/disconnect/route");
const { GET: callback } = await import("@/app/api/amazon/callback/route");
const { POST: signUp } = await import("@/app/api/auth/signup/route");

const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

async function expectInvalid(response: Response, field: string) {
  expect(response.status).toBe(422);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("unprocessable_entity");
  expect(body.error.message).toContain(field);
  expect(body.error.message).not.toMatch(/prisma|postgres|invalid byte|0x00/i);
}

describe("control characters in API input", () => {
  beforeEach(async () => {
    session.userId = (await db.user.upsert({ where: { email: OPERATOR }, create: { email: OPERATOR, passwordHash: "not-a-real-hash" }, update: {} })).id;
  });

  it.each(["function=%00", "function=fetch%00sync", "function=a%0Ab", "cursor=%00", "status=%00", "limit=%00"])("runs list: ?%s is a 422", async (query) => {
    const field = query.split("=")[0]!;
    await expectInvalid(await listRuns(new Request(`http://app/api/runs?${query}`), ctx({})), field);
  });

  it("runs list: an ordinary function filter still works", async () => {
    expect((await listRuns(new Request("http://app/api/runs?function=sync-seller"), ctx({}))).status).toBe(200);
  });

  it("one run: a NUL in the id is a 422", async () => {
    await expectInvalid(await getRun(new Request("http://app/api/runs/%00"), ctx({ runId: "\u0000" })), "runId");
    await expectInvalid(await getRun(new Request("http://app/api/runs/01J%00"), ctx({ runId: "01J\u0000" })), "runId");
  });

  it("disconnect: a NUL in the connection id is a 422", async () => {
    const request = new Request("http://app/api/amazon/connections/%00/disconnect", { method: "POST", body: JSON.stringify({ confirm: true, deleteData: false }) });
    await expectInvalid(await disconnect(request, ctx({ sellerConnectionId: "\u0000" })), "sellerConnectionId");
  });

  it("Amazon callback: a NUL in state or code ends on the connect page, not in a 500", async () => {
    const response = await callback(new Request("http://app/api/amazon/callback?state=%00&spapi_oauth_code=%00&selling_partner_id=A1B2C3D4E5"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/\/connect-amazon\?result=(state_unknown|missing_parameters)$/);
  });

  it("sign-up: a NUL in the email is a 422", async () => {
    const request = new Request("http://app/api/auth/signup", { method: "POST", body: JSON.stringify({ email: "a\u0000@example.test", password: "valid pass 42" }) });
    await expectInvalid(await signUp(request), "email");
  });
});
