// Slows down password guessing: after a few failures for an email (or a client address) within a
// window, sign-in is refused until a lock expires, doubling with each further failure. Kept in the
// database so every app instance sees the same counts.
//
// An attempt is counted before the password is checked, in one atomic statement per attempt
// (reserveAttempt): counting only after a failed check would let a burst of parallel guesses all
// pass the "is it locked?" check before any of them is recorded. A successful attempt gives its
// count back (attemptSucceeded).
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";

export const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

// Timestamps are bound as UTC `timestamp` values, the type and convention of Prisma's DateTime columns.
const at = (date: Date) => Prisma.sql`${date}::timestamp`;

/** The lock a key gets once its failures in the window reach `failures` (NULL within the allowance). */
function lockUntilSql(failures: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${failures} > ${FREE_FAILURES}
    THEN ${at(now)} + LEAST(${MAX_LOCK_MS}::float8, ${BASE_LOCK_MS}::float8 * power(2, ${failures} - ${FREE_FAILURES} - 1)) * interval '1 millisecond'
    ELSE NULL END`;
}

export type AttemptReservation = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Counts one sign-in attempt against every key, unless one of them is locked (then nothing is
 * counted and the wait is returned). One statement, so parallel attempts are counted one by one.
 */
export async function reserveAttempt(keys: string[], now = new Date()): Promise<AttemptReservation> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return { ok: true };
  const fresh = Prisma.sql`(${at(now)} - t."windowStart") > ${WINDOW_MS}::float8 * interval '1 millisecond'`;
  const failures = Prisma.sql`(CASE WHEN ${fresh} THEN 1 ELSE t."failures" + 1 END)`;
  const counted = await db.$queryRaw<{ key: string }[]>`
    WITH locked AS (
      SELECT 1 FROM "SignInThrottle" AS l WHERE l."key" = ANY(${unique}::text[]) AND l."lockedUntil" > ${at(now)}
    )
    INSERT INTO "SignInThrottle" AS t ("key", "failures", "windowStart", "lockedUntil", "updatedAt")
    SELECT k, 1, ${at(now)}, ${lockUntilSql(Prisma.sql`1`, now)}, ${at(now)}
    FROM unnest(${unique}::text[]) AS k
    WHERE NOT EXISTS (SELECT 1 FROM locked)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = ${failures},
      "windowStart" = CASE WHEN ${fresh} THEN ${at(now)} ELSE t."windowStart" END,
      "lockedUntil" = ${lockUntilSql(failures, now)},
      "updatedAt" = ${at(now)}
    WHERE t."lockedUntil" IS NULL OR t."lockedUntil" <= ${at(now)}
    RETURNING t."key"`;
  if (counted.length === unique.length) return { ok: true };
  const waits = await Promise.all(unique.map((key) => retryAfterMs(key, now)));
  return { ok: false, retryAfterMs: Math.max(1000, ...waits) };
}

/**
 * After a right password: the keys in `clear` (the email) start over; the others (the address)
 * get this attempt's count back, and its lock if the attempt set one.
 */
export async function attemptSucceeded(keys: string[], clear: string[], now = new Date()): Promise<void> {
  const refund = keys.filter((key) => !clear.includes(key));
  if (clear.length) await db.signInThrottle.deleteMany({ where: { key: { in: clear } } });
  if (refund.length) {
    await db.$executeRaw`
      UPDATE "SignInThrottle" AS t SET
        "failures" = GREATEST(t."failures" - 1, 0),
        "lockedUntil" = CASE WHEN t."failures" - 1 > ${FREE_FAILURES} THEN t."lockedUntil" ELSE NULL END,
        "updatedAt" = ${at(now)}
      WHERE t."key" = ANY(${refund}::text[]) AND t."failures" > 0`;
  }
}

/** Milliseconds until `key` may try again, or 0. */
export async function retryAfterMs(key: string, now = new Date()): Promise<number> {
  const row = await db.signInThrottle.findUnique({ where: { key } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

/** Counts a failure for `key` (atomic; kept for callers that count after the fact). */
export async function recordFailure(key: string, now = new Date()): Promise<void> {
  await reserveAttempt([key], now);
}

export async function clearFailures(key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
