// Sessions end on the server: a copied session cookie stops working after sign-out (next-auth's
// endpoint or the sign-out form) and after a password change. Driven through next-auth's real route
// handler and getServerSession; only next/headers (Next's request context) is stood in for.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signUp } from "@/lib/auth/sign-up";
import { createSession, resolveSession, revokeSession } from "@/lib/auth/sessions";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "@/lib/auth/session-config";
import { uniqueEmail } from "../../support/factories";
import { Browser } from "./support/browser";
import { requestContext } from "./support/next-request-context";

vi.mock("next/headers", async () => (await import("./support/next-request-context")).nextHeaders);

const { POST: changePasswordRoute } = await import("@/app/api/account/password/route");
const { signOutAction } = await import("@/app/signin/actions");

const PASSWORD = "session password 1";
const ctx = { params: Promise.resolve({}) };

async function signedIn(): Promise<{ browser: Browser; user: { id: string; email: string } }> {
  const user = await signUp({ email: uniqueEmail("session"), password: PASSWORD });
  const browser = new Browser();
  const result = await browser.signIn(user.email, PASSWORD);
  expect(result.url).toBe("http://localhost:3000/dashboard");
  return { browser, user };
}

/** Runs a server action that ends in redirect(); returns where it redirected. */
async function redirectOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT")) return digest.split(";")[2]!;
    throw error;
  }
  throw new Error("the action did not redirect");
}

describe("sessions are checked on the server", () => {
  it("a sign-in starts a server-side session that the cookie names", async () => {
    const { browser, user } = await signedIn();
    expect(await browser.currentUser()).toEqual({ id: user.id, email: user.email });
    expect((await browser.session()).user).toMatchObject({ email: user.email, id: user.id });
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a copied cookie stops working after sign-out through next-auth's endpoint", async () => {
    const { browser, user } = await signedIn();
    const thief = browser.copy();
    expect(await thief.currentUser()).toEqual({ id: user.id, email: user.email });

    const response = await browser.signOut();
    expect(response.status).toBe(200);
    expect(await browser.currentUser()).toBeNull();
    // The copy still holds a well-formed, unexpired JWT, and it no longer signs anyone in.
    expect(await thief.currentUser()).toBeNull();
    expect(await thief.session()).toEqual({});
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a copied cookie stops working after the sign-out form (server action)", async () => {
    const { browser, user } = await signedIn();
    const thief = browser.copy();
    browser.enter();
    expect(await redirectOf(() => signOutAction())).toBe("/signin");
    expect(requestContext.set.at(-1)).toMatchObject({ value: "", options: { httpOnly: true } });
    expect(await thief.currentUser()).toBeNull();
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a password change ends every session, copies included, and gives the changing browser a new one", async () => {
    const { browser, user } = await signedIn();
    const thief = browser.copy();
    const laptop = new Browser();
    await laptop.signIn(user.email, PASSWORD);
    expect(await laptop.currentUser()).not.toBeNull();

    const response = browser.absorb(
      await changePasswordRoute(browser.request("/api/account/password", { json: { currentPassword: PASSWORD, newPassword: "a new password 2" } }), ctx),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ changed: true, endedSessions: 2 });

    expect(await thief.currentUser()).toBeNull();
    expect(await laptop.currentUser()).toBeNull();
    expect(await browser.currentUser()).toEqual({ id: user.id, email: user.email });
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(1);
    // The old password is gone, the new one signs in.
    expect((await new Browser().signIn(user.email, PASSWORD)).url).toContain("error=CredentialsSignin");
    expect((await new Browser().signIn(user.email, "a new password 2")).url).toBe("http://localhost:3000/dashboard");
  });

  it("a cookie for a deleted account signs nobody in", async () => {
    const { browser, user } = await signedIn();
    await db.user.delete({ where: { id: user.id } });
    expect(await browser.currentUser()).toBeNull();
  });
});

describe("session lifetime", () => {
  const t0 = new Date("2026-03-01T08:00:00Z");
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it("ends a session unused for the maximum age", async () => {
    const user = await signUp({ email: uniqueEmail("lifetime"), password: PASSWORD });
    const { id } = await createSession(user.id, t0);
    const other = await createSession(user.id, t0);
    expect(await resolveSession(other.id, later(SESSION_MAX_AGE_SECONDS - 1))).toEqual({ userId: user.id, email: user.email });
    expect(await resolveSession(id, later(SESSION_MAX_AGE_SECONDS))).toBeNull();
  });

  it("rolls the expiry forward with use, writing at most once per update age", async () => {
    const user = await signUp({ email: uniqueEmail("rolling"), password: PASSWORD });
    const { id } = await createSession(user.id, t0);
    // Within the first day: no write.
    await resolveSession(id, later(SESSION_UPDATE_AGE_SECONDS - 1));
    expect((await db.userSession.findUniqueOrThrow({ where: { id } })).expiresAt).toEqual(later(SESSION_MAX_AGE_SECONDS));
    // Used on day 6: renewed, so it is still alive on day 12.
    const day6 = later(6 * 24 * 3600);
    expect(await resolveSession(id, day6)).not.toBeNull();
    expect((await db.userSession.findUniqueOrThrow({ where: { id } })).expiresAt).toEqual(new Date(day6.getTime() + SESSION_MAX_AGE_SECONDS * 1000));
    expect(await resolveSession(id, later(12 * 24 * 3600))).not.toBeNull();
  });

  it("refuses ids that are not session ids and forgets revoked ones", async () => {
    const user = await signUp({ email: uniqueEmail("revoked"), password: PASSWORD });
    const { id } = await createSession(user.id, t0);
    expect(await resolveSession(undefined, t0)).toBeNull();
    expect(await resolveSession("x\u0000y", t0)).toBeNull();
    await revokeSession(id);
    expect(await resolveSession(id, t0)).toBeNull();
  });
});
