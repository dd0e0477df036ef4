// Request limits shared by every app instance through the database: the API limit (per user and per
// client address) and the sign-up limit (per client address). One counter row per key with a fixed
// window that starts at the key's first request; each request is one atomic upsert over all of its
// keys, so parallel requests are counted one by one. Requests over the limit are counted too: a
// client that keeps hammering does not get in earlier, one that waits for Retry-After does.
import { db } from "../db";
import { env } from "../env";
import { Prisma } from "../generated/prisma/client";
import { ApiError } from "../api/errors";
import { addressBucket, clientAddressOf } from "./client-address";

export interface RateLimitRule {
  key: string;
  /** Requests allowed per window; rules with 0 are off. */
  max: number;
  windowMs: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const MAX_COUNT = 2_147_483_647;
/** Share of requests that also delete counters whose window has ended (they would restart anyway). */
const PRUNE_PROBABILITY = 0.002;

const at = (date: Date) => Prisma.sql`${date}::timestamp`;

/** Counts one request against every rule's key and says whether all of them still allow it. */
export async function hitRateLimits(rules: RateLimitRule[], now = new Date()): Promise<RateLimitDecision> {
  const active = new Map<string, RateLimitRule>();
  for (const rule of rules) if (rule.max > 0) active.set(rule.key, rule);
  if (active.size === 0) return { allowed: true };
  const keys = [...active.keys()];
  const windows = keys.map((key) => active.get(key)!.windowMs);
  const expired = Prisma.sql`c."windowEnd" <= ${at(now)}`;
  const rows = await db.$queryRaw<{ key: string; count: number; windowEnd: Date }[]>`
    INSERT INTO "RateLimitCounter" AS c ("key", "count", "windowStart", "windowEnd")
    SELECT i.k, 1, ${at(now)}, ${at(now)} + i.w * interval '1 millisecond'
    FROM unnest(${keys}::text[], ${windows}::float8[]) AS i(k, w)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN ${expired} THEN 1 ELSE LEAST(c."count" + 1, ${MAX_COUNT}) END,
      "windowStart" = CASE WHEN ${expired} THEN EXCLUDED."windowStart" ELSE c."windowStart" END,
      "windowEnd" = CASE WHEN ${expired} THEN EXCLUDED."windowEnd" ELSE c."windowEnd" END
    RETURNING c."key", c."count", c."windowEnd"`;
  if (Math.random() < PRUNE_PROBABILITY) void pruneRateLimits(now).catch(() => {});
  let retryAfterMs = 0;
  for (const row of rows) {
    const rule = active.get(row.key);
    if (rule && Number(row.count) > rule.max) retryAfterMs = Math.max(retryAfterMs, row.windowEnd.getTime() - now.getTime(), 1000);
  }
  return retryAfterMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : { allowed: true };
}

/** Deletes counters whose window has ended. */
export async function pruneRateLimits(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "windowEnd" <= ${at(now)}`;
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Throws the 429 (`rate_limited`, with Retry-After) when a rule is exceeded. */
export async function enforceRateLimits(rules: RateLimitRule[], now = new Date()): Promise<void> {
  const decision = await hitRateLimits(rules, now);
  if (decision.allowed) return;
  throw new ApiError("rate_limited", `Too many requests. Please try again in ${waitText(decision.retryAfterSeconds)}.`, {
    "retry-after": String(decision.retryAfterSeconds),
  });
}

/** The API limit of a request: its client address and, when signed in, its user. */
export function apiRateLimitRules(request: Request, user?: { id: string } | null): RateLimitRule[] {
  const { API_RATE_LIMIT_MAX: max, API_RATE_LIMIT_WINDOW_SECONDS: seconds } = env();
  const windowMs = seconds * 1000;
  const address = addressBucket(clientAddressOf(request));
  return [{ key: `api:ip:${address}`, max, windowMs }, ...(user ? [{ key: `api:user:${user.id}`, max, windowMs }] : [])];
}

/** The sign-up limit of a request: its client address. */
export function signUpRateLimitRules(request: Request): RateLimitRule[] {
  const { SIGNUP_RATE_LIMIT_MAX: max, SIGNUP_RATE_LIMIT_WINDOW_SECONDS: seconds } = env();
  return [{ key: `signup:ip:${addressBucket(clientAddressOf(request))}`, max, windowMs: seconds * 1000 }];
}

export function enforceApiRateLimit(request: Request, user?: { id: string } | null, now = new Date()): Promise<void> {
  return enforceRateLimits(apiRateLimitRules(request, user), now);
}
