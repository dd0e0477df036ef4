// Password reset by emailed link. The link carries a random token (32 bytes); only its SHA-256 is
// stored, so the table alone cannot reset anyone's password. A token works once and for 30 minutes,
// and asking again replaces the previous one. The request answers the same whether or not the email
// has an account, and is limited per email (counted for unknown emails too, so the limit says
// nothing about who has an account). A reset ends every session of the account.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { db } from "../db";
import { env } from "../env";
import { Prisma } from "../generated/prisma/client";
import { describeMailError, mailer, type MailMessage } from "../mail/mailer";
import { log } from "../observability/logger";
import { hashPassword, newPasswordSchema } from "./password";
import { revokeAllSessions } from "./sessions";
import { emailSchema } from "./sign-up";

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
/** Reset requests allowed per email in each window. */
export const RESET_REQUESTS_PER_WINDOW = 3;
export const RESET_REQUEST_WINDOW_MS = 60 * 60_000;

export const resetRequestSchema = z.object({ email: emailSchema }).strict();

export const resetConfirmSchema = z
  .object({
    token: z.string({ error: "is required" }).regex(/^[A-Za-z0-9_-]{43}$/, "is not a valid reset token"),
    password: newPasswordSchema,
  })
  .strict();

/** What the request answers, whatever happened: it must not tell whether the email has an account. */
export const RESET_REQUESTED_MESSAGE =
  "If an account exists for that email, we have sent it a link to choose a new password. The link works once, for 30 minutes.";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** The throttle's key for an email: keyed with AUTH_SECRET, so the table cannot be checked against a list of addresses. */
export function resetThrottleKey(email: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(email).digest("hex");
}
const at = (date: Date) => Prisma.sql`${date}::timestamp`;

/** Counts one request for `email`; throws the 429 when the email has asked too often. */
async function countResetRequest(email: string, now: Date): Promise<void> {
  const expired = Prisma.sql`t."windowStart" <= ${at(new Date(now.getTime() - RESET_REQUEST_WINDOW_MS))}`;
  const [row] = await db.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "PasswordResetThrottle" AS t ("emailHash", "count", "windowStart")
    VALUES (${resetThrottleKey(email)}, 1, ${at(now)})
    ON CONFLICT ("emailHash") DO UPDATE SET
      "count" = CASE WHEN ${expired} THEN 1 ELSE LEAST(t."count" + 1, 1000000) END,
      "windowStart" = CASE WHEN ${expired} THEN EXCLUDED."windowStart" ELSE t."windowStart" END
    RETURNING t."count", t."windowStart"`;
  if (row && Number(row.count) > RESET_REQUESTS_PER_WINDOW) {
    const seconds = Math.max(1, Math.ceil((row.windowStart.getTime() + RESET_REQUEST_WINDOW_MS - now.getTime()) / 1000));
    throw new ApiError("rate_limited", `Too many reset requests for this email. Try again in ${Math.ceil(seconds / 60)} minutes.`, {
      "retry-after": String(seconds),
    });
  }
}

export function resetLink(token: string, appUrl = env().APP_URL): string {
  const url = new URL("/reset-password", appUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

function resetMail(to: string, link: string): MailMessage {
  return {
    to,
    subject: "Choose a new password for FBA Recovery",
    text: [
      "Someone (hopefully you) asked to reset the password of your FBA Recovery account.",
      "",
      "Choose a new password here (the link works once, for 30 minutes):",
      link,
      "",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ].join("\n"),
  };
}

export interface ResetRequestOptions {
  now?: Date;
  /** Delivers the message; the app's mailer by default. */
  send?: (message: MailMessage) => Promise<void>;
}

/**
 * Handles "forgot password" for an email: counts the request (429 over the limit) and, when the
 * email has an account, replaces its reset token and mails the link. Resolves once the token is
 * stored; `delivery` settles when the mail is sent (never rejects; failures are logged), so callers
 * can answer without waiting for the mail server, which would also make unknown emails answer faster.
 */
export async function requestPasswordReset(
  input: z.infer<typeof resetRequestSchema>,
  options: ResetRequestOptions = {},
): Promise<{ delivery: Promise<void> }> {
  const now = options.now ?? new Date();
  const { email } = input;
  await countResetRequest(email, now);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) return { delivery: Promise.resolve() };
  const token = randomBytes(32).toString("base64url");
  await db.$transaction([
    db.passwordResetToken.deleteMany({ where: { userId: user.id } }),
    db.passwordResetToken.create({
      data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS), createdAt: now },
    }),
  ]);
  const send = options.send ?? ((message: MailMessage) => mailer().send(message));
  const delivery = send(resetMail(user.email, resetLink(token))).catch((error: unknown) => {
    log.error(`Could not send a password-reset mail: ${describeMailError(error)}`);
  });
  return { delivery };
}

/**
 * Sets a new password with a reset token: the token is used up, the password replaced, every session
 * and every other reset token of the account ended, all or nothing. Throws a 422 for a token that is
 * unknown, used or expired.
 */
export async function resetPassword(input: z.infer<typeof resetConfirmSchema>, now = new Date()): Promise<{ userId: string; email: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const tokenHash = sha256(input.token);
    // Conditional update: of two parallel uses of one token, only one finds it unused.
    const used = await tx.passwordResetToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count !== 1) {
      throw new ApiError("unprocessable_entity", "token: this reset link is invalid, already used or expired. Ask for a new one.");
    }
    const { user } = await tx.passwordResetToken.findUniqueOrThrow({ where: { tokenHash }, select: { user: { select: { id: true, email: true } } } });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await revokeAllSessions(user.id, tx);
    await tx.passwordResetToken.deleteMany({ where: { userId: user.id } });
    // Whoever holds the mailbox may sign in again at once: the email's sign-in lock is lifted.
    await tx.signInThrottle.deleteMany({ where: { key: `email:${user.email}` } });
    return { userId: user.id, email: user.email };
  });
}
