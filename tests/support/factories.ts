import { randomUUID } from "node:crypto";

/** A unique email per call, so tests sharing one database never collide. */
export function uniqueEmail(prefix = "seller"): string {
  return `${prefix}-${randomUUID()}@example.test`;
}

import { db } from "@/lib/db";

/** A user row without going through argon2 (fast); for tests that do not sign in. */
export async function createUser(prefix = "seller"): Promise<{ id: string; email: string }> {
  return db.user.create({ data: { email: uniqueEmail(prefix), passwordHash: "not-a-real-hash" }, select: { id: true, email: true } });
}

/** A unique fake selling partner id (Amazon's look: upper-case letters and digits). */
export function sellingPartnerId(): string {
  return "A" + Math.random().toString(36).slice(2, 12).toUpperCase().replace(/[^A-Z0-9]/g, "X");
}
