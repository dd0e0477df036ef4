import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/signup/route";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import { uniqueEmail } from "../../support/factories";

function post(body: unknown) {
  return POST(
    new Request("http://localhost/api/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

describe("POST /api/auth/signup", () => {
  it("creates an account with a normalised email and an argon2 hash, never the password", async () => {
    const email = uniqueEmail();
    const response = await post({ email: `  ${email.toUpperCase()} `, password: "correct horse 42" });
    expect(response.status).toBe(201);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("correct horse");
    expect(await verifyPassword(user.passwordHash, "correct horse 42")).toBe(true);
    expect((await response.json()).user).toEqual({ id: user.id, email });
  });

  it("refuses a duplicate email with 409 and keeps the first account unchanged", async () => {
    const email = uniqueEmail();
    expect((await post({ email, password: "first password 1" })).status).toBe(201);
    const before = await db.user.findUniqueOrThrow({ where: { email } });
    const response = await post({ email, password: "second password 2" });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("conflict");
    const after = await db.user.findMany({ where: { email } });
    expect(after).toHaveLength(1);
    expect(after[0]!.passwordHash).toBe(before.passwordHash);
  });

  it.each([
    ["too short", "abc123"],
    ["letters only", "onlylettershere"],
    ["too common", "password123"],
  ])("refuses a weak password (%s) with 422 naming the field and creates nothing", async (_label, password) => {
    const email = uniqueEmail();
    const response = await post({ email, password });
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toMatch(/^password:/);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("answers malformed bodies with clear 4xx errors", async () => {
    expect((await post("{oops")).status).toBe(400);
    const missing = await post({ password: "long enough 123" });
    expect(missing.status).toBe(422);
    expect((await missing.json()).error.message).toMatch(/^email:/);
    expect((await post({ email: "not-an-email", password: "long enough 123" })).status).toBe(422);
    expect((await post({ email: uniqueEmail(), password: "long enough 123", admin: true })).status).toBe(422);
  });
});
