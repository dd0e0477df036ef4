// Password reset by emailed link: same answer for every email, limited per email, the token hashed
// at rest, single use, 30 minutes, and every session ended. The routes and the outbox are real.
import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signUp } from "@/lib/auth/sign-up";
import {
  RESET_REQUESTED_MESSAGE,
  RESET_REQUESTS_PER_WINDOW,
  RESET_TOKEN_TTL_MS,
  requestPasswordReset,
  resetPassword,
} from "@/lib/auth/password-reset";
import { listOutbox } from "@/lib/mail/outbox";
import type { MailMessage } from "@/lib/mail/mailer";
import { uniqueEmail } from "../../support/factories";
import { Browser } from "./support/browser";

vi.mock("next/headers", async () => (await import("./support/next-request-context")).nextHeaders);

const { POST: requestRoute } = await import("@/app/api/auth/password-reset/route");
const { POST: confirmRoute } = await import("@/app/api/auth/password-reset/confirm/route");

const PASSWORD = "reset password 1";
const t0 = new Date("2026-04-10T09:00:00Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const ctx = { params: Promise.resolve({}) };

const post = (route: typeof requestRoute, path: string, body: unknown) =>
  route(new Request(`http://localhost:3000${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), ctx);

function tokenOf(message: MailMessage): string {
  const link = /https?:\/\/\S+/.exec(message.text)?.[0];
  const token = link ? new URL(link).searchParams.get("token") : null;
  if (!token) throw new Error("no reset link in the message");
  return token;
}

/** Asks for a reset at a pinned time and returns the mailed token. */
async function mailedToken(email: string, now = t0): Promise<string> {
  const mails: MailMessage[] = [];
  const { delivery } = await requestPasswordReset({ email }, { now, send: async (message) => void mails.push(message) });
  await delivery;
  expect(mails).toHaveLength(1);
  return tokenOf(mails[0]!);
}

describe("asking for a reset link", () => {
  it("answers the same for an email with an account and one without, and mails only the first (to the outbox)", async () => {
    const known = await signUp({ email: uniqueEmail("reset"), password: PASSWORD });
    const unknown = uniqueEmail("nobody");
    const answers = [];
    for (const email of [known.email, unknown.toUpperCase()]) {
      const response = await post(requestRoute, "/api/auth/password-reset", { email });
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(answers[0]).toEqual({ status: 202, body: { message: RESET_REQUESTED_MESSAGE } });
    expect(answers[1]).toEqual(answers[0]);
    await expect.poll(async () => (await listOutbox({ to: known.email })).length).toBe(1);
    expect(await listOutbox({ to: unknown })).toEqual([]);
    const [mail] = await listOutbox({ to: known.email });
    expect(mail!.text).toContain("http://localhost:3000/reset-password?token=");
  });

  it("keeps only the SHA-256 of the token, which expires after 30 minutes", async () => {
    const user = await signUp({ email: uniqueEmail("hashed"), password: PASSWORD });
    const token = await mailedToken(user.email);
    const rows = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt).toEqual(new Date(t0.getTime() + RESET_TOKEN_TTL_MS));
  });

  it("is limited per email, the same way whether or not the email has an account", async () => {
    const known = (await signUp({ email: uniqueEmail("limited"), password: PASSWORD })).email;
    const unknown = uniqueEmail("limited-nobody");
    for (const email of [known, unknown]) {
      for (let i = 0; i < RESET_REQUESTS_PER_WINDOW; i++) {
        await (await requestPasswordReset({ email }, { now: minutes(i), send: async () => {} })).delivery;
      }
      await expect(requestPasswordReset({ email }, { now: minutes(5), send: async () => {} })).rejects.toMatchObject({
        code: "rate_limited",
        headers: { "retry-after": String(55 * 60) },
      });
      // A new window an hour after the first request.
      await expect(requestPasswordReset({ email }, { now: minutes(61), send: async () => {} })).resolves.toBeDefined();
    }
  });

  it("answers invalid input with a 422 and a mail failure with the same 202", async () => {
    expect((await post(requestRoute, "/api/auth/password-reset", { email: "no\u0000pe@example.test" })).status).toBe(422);
    expect((await post(requestRoute, "/api/auth/password-reset", {})).status).toBe(422);
    const user = await signUp({ email: uniqueEmail("mailfail"), password: PASSWORD });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const { delivery } = await requestPasswordReset({ email: user.email }, { now: t0, send: async () => Promise.reject(new Error("smtp://user:secret@host refused")) });
    await delivery;
    expect(errors.mock.calls.flat().join(" ")).not.toContain("secret");
    errors.mockRestore();
  });
});

describe("choosing a new password with the link", () => {
  it("sets the password, ends every session, and works only once", async () => {
    const user = await signUp({ email: uniqueEmail("confirm"), password: PASSWORD });
    const browser = new Browser();
    await browser.signIn(user.email, PASSWORD);
    const token = await mailedToken(user.email, new Date());

    const response = await post(confirmRoute, "/api/auth/password-reset/confirm", { token, password: "brand new password 3" });
    expect(response.status).toBe(200);
    expect(await browser.currentUser()).toBeNull();
    expect((await new Browser().signIn(user.email, "brand new password 3")).url).toBe("http://localhost:3000/dashboard");
    expect((await new Browser().signIn(user.email, PASSWORD)).url).toContain("error=CredentialsSignin");

    const again = await post(confirmRoute, "/api/auth/password-reset/confirm", { token, password: "another password 4" });
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/^token: /);
  });

  it("refuses an expired token, and a token replaced by a newer request", async () => {
    const user = await signUp({ email: uniqueEmail("expired"), password: PASSWORD });
    const token = await mailedToken(user.email, t0);
    await expect(resetPassword({ token, password: "brand new password 3" }, new Date(t0.getTime() + RESET_TOKEN_TTL_MS))).rejects.toMatchObject({
      code: "unprocessable_entity",
    });
    const first = await mailedToken(user.email, minutes(40));
    const second = await mailedToken(user.email, minutes(41));
    await expect(resetPassword({ token: first, password: "brand new password 3" }, minutes(42))).rejects.toMatchObject({ code: "unprocessable_entity" });
    await expect(resetPassword({ token: second, password: "brand new password 3" }, minutes(42))).resolves.toMatchObject({ userId: user.id });
  });

  it("lets only one of two parallel uses of a token through", async () => {
    const user = await signUp({ email: uniqueEmail("parallel"), password: PASSWORD });
    const token = await mailedToken(user.email, t0);
    const results = await Promise.allSettled([
      resetPassword({ token, password: "parallel password 5" }, minutes(1)),
      resetPassword({ token, password: "parallel password 6" }, minutes(1)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("answers a malformed token or a weak password with a 422 naming the field", async () => {
    const malformed = await post(confirmRoute, "/api/auth/password-reset/confirm", { token: "abc", password: "brand new password 3" });
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/^token: /);
    const weak = await post(confirmRoute, "/api/auth/password-reset/confirm", { token: "a".repeat(43), password: "weak" });
    expect(((await weak.json()) as { error: { message: string } }).error.message).toMatch(/^password: /);
  });
});
