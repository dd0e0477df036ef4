// Changing the password of the signed-in user: the current password is required (checked like a
// sign-in, throttle included), the new one must pass the strength rule. Every session of the account
// ends, the one making the change too; the caller gets a fresh session cookie for that browser, so a
// copy of the old cookie (wherever it went) stops working while the user stays signed in.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { safeText } from "../api/validation";
import { db } from "../db";
import type { AuthenticationResult } from "./authenticate";
import { hashPassword, newPasswordSchema } from "./password";
import { issueSessionCookie, type SessionCookie } from "./session-cookie";
import { revokeAllSessions } from "./sessions";

export const changePasswordSchema = z
  .object({
    currentPassword: safeText(200).min(1, "is required"),
    newPassword: newPasswordSchema,
  })
  .strict()
  .refine((input) => input.currentPassword !== input.newPassword, { path: ["newPassword"], message: "must differ from the current password" });

/** Checks an email and password as sign-in does (lib/auth/auth-options.ts: checkCredentials bound to the request). */
export type CredentialsCheck = (credentials: { email: string; password: string }) => Promise<AuthenticationResult>;

/** Throws the API error for a failed check of the current password (`field` names it). */
export function assertPasswordChecked(result: AuthenticationResult, field: string): asserts result is Extract<AuthenticationResult, { ok: true }> {
  if (result.ok) return;
  if (result.reason === "too_many_attempts") {
    throw new ApiError("rate_limited", `Too many wrong passwords. Try again in ${result.retryAfterSeconds} seconds.`, {
      "retry-after": String(result.retryAfterSeconds),
    });
  }
  throw new ApiError("unprocessable_entity", `${field}: is not your current password`);
}

export async function changePassword(
  user: { id: string; email: string },
  input: z.infer<typeof changePasswordSchema>,
  check: CredentialsCheck,
  now = new Date(),
): Promise<{ cookie: SessionCookie; endedSessions: number }> {
  const result = await check({ email: user.email, password: input.currentPassword });
  assertPasswordChecked(result, "currentPassword");
  if (result.user.id !== user.id) throw new ApiError("unauthorized", "Sign in to continue.");
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const endedSessions = await revokeAllSessions(user.id, tx);
    // A reset link asked for before the change must not undo it.
    await tx.passwordResetToken.deleteMany({ where: { userId: user.id } });
    const cookie = await issueSessionCookie(user, now, tx);
    return { cookie, endedSessions };
  });
}
