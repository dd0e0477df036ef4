// Deleting the signed-in user's account and everything it owns. Confirmed twice: the password (checked
// like a sign-in, throttle included) and the word DELETE. One transaction: the user row goes, and with
// it (ON DELETE CASCADE) its sessions, reset tokens, OAuth states and seller connections with all
// their data; the bookkeeping keyed by the email (sign-in throttle, reset throttle, outbox) goes too.
// Running syncs of the deleted connections are then told to stop (amazon/disconnected).
import { z } from "zod";
import { ApiError } from "../api/errors";
import { safeText } from "../api/validation";
import { db } from "../db";
import { log } from "../observability/logger";
import { assertPasswordChecked, type CredentialsCheck } from "./change-password";
import { resetThrottleKey } from "./password-reset";

export const DELETE_CONFIRMATION = "DELETE";

export const deleteAccountSchema = z
  .object({
    password: safeText(200).min(1, "is required"),
    confirm: safeText(20).refine((value) => value.trim() === DELETE_CONFIRMATION, `must be the word ${DELETE_CONFIRMATION}`),
  })
  .strict();

export async function deleteAccount(
  user: { id: string; email: string },
  input: z.infer<typeof deleteAccountSchema>,
  check: CredentialsCheck,
  notifyDisconnected: (data: { sellerConnectionId: string }, options: { id: string }) => Promise<void>,
  now = new Date(),
): Promise<{ deletedSellerConnections: number }> {
  const result = await check({ email: user.email, password: input.password });
  assertPasswordChecked(result, "password");
  if (result.user.id !== user.id) throw new ApiError("unauthorized", "Sign in to continue.");
  const connections = await db.$transaction(async (tx) => {
    const owned = await tx.sellerConnection.findMany({ where: { userId: user.id }, select: { id: true } });
    await tx.user.delete({ where: { id: user.id } });
    await tx.signInThrottle.deleteMany({ where: { key: `email:${user.email}` } });
    await tx.passwordResetThrottle.deleteMany({ where: { emailHash: resetThrottleKey(user.email) } });
    await tx.mailOutbox.deleteMany({ where: { to: user.email } });
    return owned;
  });
  for (const connection of connections) {
    try {
      await notifyDisconnected({ sellerConnectionId: connection.id }, { id: `amazon-disconnected:${connection.id}:${now.getTime()}` });
    } catch (error) {
      log.warn(
        { sellerConnectionId: connection.id, errorClass: error instanceof Error ? error.name : "error" },
        "Could not send amazon/disconnected for a deleted connection",
      );
    }
  }
  return { deletedSellerConnections: connections.length };
}
