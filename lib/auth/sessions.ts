// Server-side sessions: one UserSession row per signed-in browser. The session cookie (a next-auth
// JWT, encrypted with AUTH_SECRET) carries the row's id as `sid`; every use of the cookie checks the
// row (auth-options.ts, jwt callback), so deleting it ends the session at once, wherever the cookie
// has been copied to. Sign-out deletes the browser's row; a password change or reset deletes all of
// the user's rows; deleting the account deletes them with it (cascade).
import { randomBytes } from "node:crypto";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./session-config";

type Tx = Prisma.TransactionClient;

const MAX_AGE_MS = SESSION_MAX_AGE_SECONDS * 1000;
const UPDATE_AGE_MS = SESSION_UPDATE_AGE_SECONDS * 1000;

/** Session ids: 32 random bytes, base64url (43 characters). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID.test(value);
}

/** Starts a session for `userId`; returns its id (for the cookie). Clears the user's expired ones. */
export async function createSession(userId: string, now = new Date(), client: Tx = db): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + MAX_AGE_MS);
  await client.userSession.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  await client.userSession.create({ data: { id, userId, createdAt: now, renewedAt: now, expiresAt } });
  return { id, expiresAt };
}

/**
 * The user of a live session, or null (unknown, revoked or expired). Pushes the expiry forward when
 * the last renewal is older than a day, so a session in use does not run out.
 */
export async function resolveSession(sessionId: unknown, now = new Date()): Promise<{ userId: string; email: string } | null> {
  if (!isSessionId(sessionId)) return null;
  const row = await db.userSession.findUnique({
    where: { id: sessionId },
    select: { renewedAt: true, expiresAt: true, user: { select: { id: true, email: true } } },
  });
  if (!row || row.expiresAt <= now) return null;
  if (now.getTime() - row.renewedAt.getTime() >= UPDATE_AGE_MS) {
    // Conditional, so two parallel requests renew once; a row deleted meanwhile stays deleted.
    await db.userSession.updateMany({
      where: { id: sessionId, renewedAt: row.renewedAt },
      data: { renewedAt: now, expiresAt: new Date(now.getTime() + MAX_AGE_MS) },
    });
  }
  return { userId: row.user.id, email: row.user.email };
}

/** Ends one session (sign-out). Unknown ids are ignored. */
export async function revokeSession(sessionId: unknown, client: Tx = db): Promise<void> {
  if (!isSessionId(sessionId)) return;
  await client.userSession.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of a user (password change or reset); returns how many were live. */
export async function revokeAllSessions(userId: string, client: Tx = db): Promise<number> {
  const { count } = await client.userSession.deleteMany({ where: { userId } });
  return count;
}
