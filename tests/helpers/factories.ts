import { randomUUID } from "node:crypto";

/** A unique email per call, so tests sharing one database never collide. */
export function uniqueEmail(prefix = "seller"): string {
  return `${prefix}-${randomUUID()}@example.test`;
}
