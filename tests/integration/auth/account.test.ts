// The account API: changing the password (the current one required) and deleting the account with
// everything it owns. Requests go through the real route handlers, next-auth and the database.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signUp } from "@/lib/auth/sign-up";
import { createSession } from "@/lib/auth/sessions";
import { requestPasswordReset, resetThrottleKey } from "@/lib/auth/password-reset";
import { deleteAccount } from "@/lib/auth/delete-account";
import { uniqueEmail, sellingPartnerId } from "../../support/factories";
import { Browser } from "./support/browser";

vi.mock("next/headers", async () => (await import("./support/next-request-context")).nextHeaders);
// The Inngest edge: events the deletion sends, recorded instead of sent.
const sent = vi.hoisted(() => [] as unknown[]);
vi.mock("@/inngest/client", async (original) => {
  const real = await original<typeof import("@/inngest/client")>();
  return { ...real, inngest: { send: async (event: unknown) => void sent.push(event) } };
});

const { POST: changePasswordRoute } = await import("@/app/api/account/password/route");
const { DELETE: deleteAccountRoute, GET: getAccountRoute } = await import("@/app/api/account/route");

const PASSWORD = "account password 1";
const ctx = { params: Promise.resolve({}) };

async function signedIn() {
  const user = await signUp({ email: uniqueEmail("account"), password: PASSWORD });
  const browser = new Browser();
  await browser.signIn(user.email, PASSWORD);
  return { user, browser };
}

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

describe("POST /api/account/password", () => {
  it("answers 401 JSON without a session", async () => {
    const response = await changePasswordRoute(new Browser().request("/api/account/password", { json: { currentPassword: "x", newPassword: "y" } }), ctx);
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "unauthorized" });
  });

  it("requires the current password and keeps everything as it was when it is wrong", async () => {
    const { user, browser } = await signedIn();
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    const response = await changePasswordRoute(
      browser.request("/api/account/password", { json: { currentPassword: "not it at all 1", newPassword: "a new password 2" } }),
      ctx,
    );
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toEqual({ code: "unprocessable_entity", message: "currentPassword: is not your current password" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash);
    expect(await browser.currentUser()).not.toBeNull();
  });

  it.each([
    ["a weak new password", { currentPassword: PASSWORD, newPassword: "short1" }, /^newPassword: must be at least 10/],
    ["the same password again", { currentPassword: PASSWORD, newPassword: PASSWORD }, /^newPassword: must differ/],
    ["a NUL byte", { currentPassword: "acc\u0000ount", newPassword: "a new password 2" }, /^currentPassword: must not contain control characters/],
    ["an unknown field", { currentPassword: PASSWORD, newPassword: "a new password 2", userId: "someone" }, /unrecognized/i],
  ])("refuses %s with a 422", async (_label, body, message) => {
    const { browser } = await signedIn();
    const response = await changePasswordRoute(browser.request("/api/account/password", { json: body }), ctx);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toMatch(message);
  });

  it("throttles guessing of the current password like sign-in (429 with Retry-After)", async () => {
    const { browser } = await signedIn();
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await changePasswordRoute(browser.request("/api/account/password", { json: { currentPassword: `guess ${i} wrong`, newPassword: "a new password 2" } }), ctx);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("ends outstanding reset links", async () => {
    const { user, browser } = await signedIn();
    await requestPasswordReset({ email: user.email }, { send: async () => {} });
    expect(await db.passwordResetToken.count({ where: { userId: user.id } })).toBe(1);
    const response = await changePasswordRoute(browser.request("/api/account/password", { json: { currentPassword: PASSWORD, newPassword: "a new password 2" } }), ctx);
    expect(response.status).toBe(200);
    expect(await db.passwordResetToken.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("DELETE /api/account", () => {
  it("answers other methods with a JSON 405 naming the one it accepts", async () => {
    const response = getAccountRoute(new Request("http://localhost:3000/api/account"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("DELETE, OPTIONS");
    expect(await errorOf(response)).toMatchObject({ code: "method_not_allowed" });
  });

  async function withData(userId: string) {
    const connection = await db.sellerConnection.create({
      data: { userId, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], refreshTokenEncrypted: "v1:k:iv:tag:ct" },
    });
    await db.amazonOAuthState.create({ data: { userId, stateHash: `state-${connection.id}`, region: "NA", expiresAt: new Date("2030-01-01T00:00:00Z") } });
    return connection;
  }

  it("needs the password and the word DELETE, and deletes nothing otherwise", async () => {
    const { user, browser } = await signedIn();
    for (const body of [{ password: PASSWORD }, { password: PASSWORD, confirm: "delete it" }, { password: "wrong password 1", confirm: "DELETE" }]) {
      const response = await deleteAccountRoute(browser.request("/api/account", { method: "DELETE", json: body }), ctx);
      expect(response.status).toBe(422);
    }
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("deletes the account and everything it owns, ends its sessions and stops its syncs", async () => {
    const { user, browser } = await signedIn();
    const thief = browser.copy();
    const connection = await withData(user.id);
    await createSession(user.id);
    // The reset mail goes to the outbox (no SMTP server in tests), which the deletion empties too.
    await (await requestPasswordReset({ email: user.email })).delivery;
    expect(await db.mailOutbox.count({ where: { to: user.email } })).toBe(1);
    sent.length = 0;

    const response = browser.absorb(
      await deleteAccountRoute(browser.request("/api/account", { method: "DELETE", json: { password: PASSWORD, confirm: "DELETE" } }), ctx),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: true, deletedSellerConnections: 1 });

    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.sellerConnection.count({ where: { id: connection.id } })).toBe(0);
    expect(await db.amazonOAuthState.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.passwordResetToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.passwordResetThrottle.count({ where: { emailHash: resetThrottleKey(user.email) } })).toBe(0);
    expect(await db.signInThrottle.count({ where: { key: `email:${user.email}` } })).toBe(0);
    expect(await db.mailOutbox.count({ where: { to: user.email } })).toBe(0);

    expect(sent).toEqual([expect.objectContaining({ name: "amazon/disconnected", data: { sellerConnectionId: connection.id } })]);
    expect([...browser.jar.keys()].some((name) => name.endsWith("session-token"))).toBe(false);
    expect(await thief.currentUser()).toBeNull();
    expect((await new Browser().signIn(user.email, PASSWORD)).url).toContain("error=CredentialsSignin");
  });

  it("leaves other users' data alone", async () => {
    const { user } = await signedIn();
    const neighbour = await signUp({ email: uniqueEmail("neighbour"), password: PASSWORD });
    const theirs = await withData(neighbour.id);
    await deleteAccount(user, { password: PASSWORD, confirm: "DELETE" }, async () => ({ ok: true, user }), async () => {}, new Date("2026-02-01T00:00:00Z"));
    expect(await db.sellerConnection.count({ where: { id: theirs.id } })).toBe(1);
    expect(await db.user.count({ where: { id: neighbour.id } })).toBe(1);
  });
});
