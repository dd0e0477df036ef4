import { describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { FREE_FAILURES } from "@/lib/auth/sign-in-throttle";
import { signUp } from "@/lib/auth/sign-up";
import { uniqueEmail } from "../../support/factories";

describe("email and password sign-in", () => {
  it("accepts the right password and rejects a wrong one or an unknown email alike", async () => {
    const email = uniqueEmail();
    const user = await signUp({ email, password: "right password 1" });
    expect(await authenticate({ email, password: "right password 1" })).toEqual({ ok: true, user });
    expect(await authenticate({ email, password: "wrong password 1" })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await authenticate({ email: uniqueEmail(), password: "right password 1" })).toEqual({
      ok: false,
      reason: "invalid_credentials",
    });
  });

  it("rejects malformed credentials without touching the database", async () => {
    expect(await authenticate({ email: 42 })).toEqual({ ok: false, reason: "malformed" });
    expect(await authenticate(undefined)).toEqual({ ok: false, reason: "malformed" });
  });

  it("locks an email after repeated wrong passwords, even against the right one", async () => {
    const email = uniqueEmail();
    await signUp({ email, password: "right password 1" });
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect((await authenticate({ email, password: `wrong ${i} password` })).ok).toBe(false);
    }
    // The failure that goes over the allowance sets the lock.
    await authenticate({ email, password: "wrong again 99" });
    const locked = await authenticate({ email, password: "right password 1" });
    expect(locked).toMatchObject({ ok: false, reason: "too_many_attempts" });
    expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("locks a client address guessing across many emails", async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const victim = uniqueEmail();
    await signUp({ email: victim, password: "right password 1" });
    for (let i = 0; i <= FREE_FAILURES; i++) await authenticate({ email: uniqueEmail(), password: "guess 123456" }, address);
    expect(await authenticate({ email: victim, password: "right password 1" }, address)).toMatchObject({
      reason: "too_many_attempts",
    });
    // Another address is not affected.
    expect((await authenticate({ email: victim, password: "right password 1" }, "198.51.100.7")).ok).toBe(true);
  });
});
