// Checks an email and password, with the sign-in throttle applied per email and per client address.
import { z } from "zod";
import { db } from "../db";
import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "./password";
import { attemptSucceeded, reserveAttempt } from "./sign-in-throttle";
import { safeText } from "../api/validation";
import { addressBucket } from "../http/client-address";

export const credentialsSchema = z.object({
  // No control characters: the email is a database key (a NUL byte makes PostgreSQL refuse the query).
  email: safeText(254).trim().toLowerCase().min(1),
  password: safeText(200).min(1),
});

export type AuthenticationResult =
  | { ok: true; user: { id: string; email: string } }
  | { ok: false; reason: "invalid_credentials" | "malformed" }
  | { ok: false; reason: "too_many_attempts"; retryAfterSeconds: number };

// Verifying against a real hash when the email is unknown keeps the response time the same, so
// timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
const unknownUserHash = () => (dummyHash ??= hashPassword(randomUUID()));

export async function authenticate(input: unknown, clientAddress?: string, now = new Date()): Promise<AuthenticationResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const { email, password } = parsed.data;
  const keys = [`email:${email}`, ...(clientAddress ? [`ip:${addressBucket(clientAddress)}`] : [])];

  // Counted before the check (one atomic statement), so parallel guesses cannot all slip past the lock.
  const reservation = await reserveAttempt(keys, now);
  if (!reservation.ok) return { ok: false, reason: "too_many_attempts", retryAfterSeconds: Math.ceil(reservation.retryAfterMs / 1000) };

  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } });
  const valid = await verifyPassword(user?.passwordHash ?? (await unknownUserHash()), password);
  if (!user || !valid) return { ok: false, reason: "invalid_credentials" };
  await attemptSucceeded(keys, [`email:${email}`], now);
  return { ok: true, user: { id: user.id, email: user.email } };
}
