// The OAuth `state` of Connect Amazon: random, bound to the signed-in user, stored only as a hash,
// single use, valid for 10 minutes. Consuming it is one conditional UPDATE, so two callbacks racing
// with the same state cannot both win.
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";

export const STATE_TTL_MS = 10 * 60_000;

export type StateRejection = "unknown" | "reused" | "expired" | "foreign";

export function hashState(state: string): string {
  return createHash("sha256").update(state).digest("hex");
}

export async function createOAuthState(userId: string, region: string, now = new Date()): Promise<string> {
  const state = randomBytes(32).toString("base64url");
  await db.amazonOAuthState.create({
    data: { stateHash: hashState(state), userId, region, expiresAt: new Date(now.getTime() + STATE_TTL_MS) },
  });
  // Old attempts of this user are useless once they expire; keep the table small.
  await db.amazonOAuthState.deleteMany({ where: { userId, expiresAt: { lt: new Date(now.getTime() - STATE_TTL_MS) } } });
  return state;
}

/** Marks the state used; returns its region, or why it was refused. */
export async function consumeOAuthState(
  state: string,
  userId: string,
  now = new Date(),
): Promise<{ ok: true; region: string } | { ok: false; reason: StateRejection }> {
  const stateHash = hashState(state);
  const consumed = await db.amazonOAuthState.updateMany({
    where: { stateHash, userId, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  const row = await db.amazonOAuthState.findUnique({ where: { stateHash } });
  if (consumed.count === 1 && row) return { ok: true, region: row.region };
  if (!row) return { ok: false, reason: "unknown" };
  if (row.userId !== userId) return { ok: false, reason: "foreign" };
  if (row.consumedAt) return { ok: false, reason: "reused" };
  return { ok: false, reason: "expired" };
}
