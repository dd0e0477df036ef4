// Control characters (a NUL byte above all: PostgreSQL refuses it and its error text would travel)
// are refused at the boundary of sign-in and sign-up, and no database message reaches a caller.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { authenticate } from "@/lib/auth/authenticate";
import { signUp } from "@/lib/auth/sign-up";
import { uniqueEmail } from "../../support/factories";
import { Browser } from "./support/browser";

vi.mock("next/headers", async () => (await import("./support/next-request-context")).nextHeaders);

// The database edge: when `failing` is set, every query fails with PostgreSQL's message for a NUL byte.
const database = vi.hoisted(() => ({ failing: false }));
vi.mock("@/lib/db", async (original) => {
  const real = await original<typeof import("@/lib/db")>();
  const failing = new Proxy(real.db, {
    get(target, property, receiver) {
      if (database.failing) throw new Error('invalid byte sequence for encoding "UTF8": 0x00 (PrismaClientUnknownRequestError)');
      return Reflect.get(target, property, receiver);
    },
  });
  return { ...real, db: failing };
});

const { POST: signUpRoute } = await import("@/app/api/auth/signup/route");
const { signUpAction } = await import("@/app/signup/actions");

const LEAKS = /byte sequence|0x00|prisma|postgres|invalid|utf8/i;

function signUpRequest(body: unknown) {
  return signUpRoute(
    new Request("http://localhost:3000/api/auth/signup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
}

describe("control characters in sign-in", () => {
  it.each([
    ["a NUL byte in the email", { email: "nul\u0000@example.test", password: "some password 1" }],
    ["a NUL byte in the password", { email: "nul@example.test", password: "some\u0000password 1" }],
    ["a newline in the email", { email: "line\n@example.test", password: "some password 1" }],
  ])("%s is malformed input, answered like a wrong password", async (_label, credentials) => {
    expect(await authenticate(credentials)).toEqual({ ok: false, reason: "malformed" });
    const result = await new Browser().signIn(credentials.email, credentials.password);
    expect(result.url).toBe("http://localhost:3000/api/auth/error?error=CredentialsSignin&provider=credentials");
  });

  it("a database failure during sign-in reaches the redirect URL as a fixed code, never its text", async () => {
    const email = uniqueEmail("dbdown");
    await signUp({ email, password: "right password 1" });
    const browser = new Browser();
    const { csrfToken } = (await (await browser.nextAuth("csrf")).json()) as { csrfToken: string };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    database.failing = true;
    let body: { url?: string };
    try {
      const response = await browser.nextAuth("callback/credentials", { csrfToken, email, password: "right password 1", json: "true" });
      body = (await response.json()) as { url?: string };
    } finally {
      database.failing = false;
    }
    expect(body.url).toBe("http://localhost:3000/api/auth/error?error=SignInUnavailable");
    expect(decodeURIComponent(body.url ?? "")).not.toMatch(LEAKS);
    // The server log names the failure without the database's text either.
    expect(errors.mock.calls.flat().join(" ")).not.toMatch(/byte sequence|0x00/);
    errors.mockRestore();
  });
});

describe("control characters in sign-up", () => {
  it.each([
    ["email", { email: "nul\u0000@example.test", password: "long enough 123" }],
    ["password", { email: uniqueEmail("nulpw"), password: "long\u0000enough 123" }],
  ])("a NUL byte in the %s is a 422 naming the field, and nothing is written", async (field, body) => {
    const response = await signUpRequest(body);
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("unprocessable_entity");
    expect(error.message).toMatch(new RegExp(`^${field}: `));
    expect(error.message).not.toMatch(/byte sequence|0x00|prisma/i);
    expect(await db.user.count({ where: { email: body.email.replace("\u0000", "") } })).toBe(0);
  });

  it("the sign-up form refuses a NUL byte with the same message and does not echo it back", async () => {
    const browser = new Browser();
    browser.enter();
    const form = new FormData();
    form.set("email", "nul\u0000@example.test");
    form.set("password", "long enough 123");
    const state = await signUpAction({ error: null, email: "" }, form);
    expect(state.error).toMatch(/^email: /);
    expect(state.email).toBe("");
  });

  it("a database failure during sign-up is the generic 500, without the database's text", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    database.failing = true;
    let response: Response;
    try {
      response = await signUpRequest({ email: uniqueEmail("dbdown"), password: "long enough 123" });
    } finally {
      database.failing = false;
      errors.mockRestore();
    }
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toMatch(LEAKS);
  });
});
