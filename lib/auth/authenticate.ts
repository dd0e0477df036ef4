// Checks an email and password, with the sign-in throttle applied per email and per client address.
import { z } from "zod";
import { db } from "../db";
import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "./password";
import { clearFailures, recordFailure, retryAfterMs } from "./sign-in-throttle";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

export type AuthenticationResult =
  | { ok: true; user: { id: string; email: string } }
  | { ok: false; reason: "invalid_credentials" | "malformed" }
  | { ok: false; reason: "too_many_attempts"; retryAfterSeconds: number };

// Verifying against a real hash when the email is unknown keeps the response time the same, so
// timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
const unknownUserHash = () => (dummyHash ??= hashPassword(randomUUID()));

export async function authenticate(input: unknown, clientAddress?: string): Promise<AuthenticationResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const { email, password } = parsed.data;
  const keys = [`email:${email}`, ...(clientAddress ? [`ip:${clientAddress}`] : [])];

  const waits = await Promise.all(keys.map((key) => retryAfterMs(key)));
  const wait = Math.max(...waits);
  if (wait > 0) return { ok: false, reason: "too_many_attempts", retryAfterSeconds: Math.ceil(wait / 1000) };

  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } });
  const valid = await verifyPassword(user?.passwordHash ?? (await unknownUserHash()), password);
  if (!user || !valid) {
    for (const key of keys) await recordFailure(key);
    return { ok: false, reason: "invalid_credentials" };
  }
  await clearFailures(`email:${email}`);
  return { ok: true, user: { id: user.id, email: user.email } };
}
