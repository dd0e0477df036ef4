// Slows down password guessing: after a few failures for an email (or a client address) within a
// window, sign-in is refused until a lock expires, doubling with each further failure. Kept in the
// database so every app instance sees the same counts.
import { db } from "../db";

export const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

/** Milliseconds until `key` may try again, or 0. */
export async function retryAfterMs(key: string, now = new Date()): Promise<number> {
  const row = await db.signInThrottle.findUnique({ where: { key } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

export async function recordFailure(key: string, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.signInThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const over = failures - FREE_FAILURES;
    const lockedUntil = over > 0 ? new Date(now.getTime() + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (over - 1))) : null;
    await tx.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil },
    });
  });
}

export async function clearFailures(key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
