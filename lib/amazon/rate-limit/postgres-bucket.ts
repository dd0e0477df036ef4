// The SP-API usage plans enforced across every app instance: the token buckets live in PostgreSQL
// and each reservation is one atomic statement on the database clock, so two instances (or two
// Inngest steps on different machines) calling for the same seller share one bucket, as Amazon does.
import { realSleep, type Sleep } from "../clock";
import { RateLimitWaitError } from "../errors";
import { checkSafetyFactor, DEFAULT_SAFETY_FACTOR, type RateLimiter } from "./rate-limiter";
import { msUntilToken } from "./refill";
import { usagePlanOf, type OperationName, type UsagePlan } from "./usage-plans";
import { db as defaultDb, type Db } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import { log } from "../../observability/logger";
import { recordRateLimitDeferral, recordRateLimitWait } from "../../observability/metrics";

export interface PostgresRateLimiterOptions {
  db?: Db;
  sleep?: Sleep;
  /** Override plans per operation (e.g. a higher plan Amazon granted). */
  plans?: Partial<Record<OperationName, UsagePlan>>;
  /** Fraction of the plan's rate to refill at, leaving room for network jitter (as the in-process limiter). */
  safetyFactor?: number;
  /**
   * Multiplies every rate (the plans' and the ones Amazon advertises): for a time-scaled sandbox, whose
   * buckets refill `scale` times faster than real time. 1 against Amazon.
   */
  rateScale?: number;
  onError?: (error: unknown) => void;
}

type Row = { tokens: number; rate: number };

export class PostgresRateLimiter implements RateLimiter {
  private readonly db: Db;
  private readonly sleep: Sleep;
  private readonly plans: Partial<Record<OperationName, UsagePlan>>;
  private readonly safety: number;
  private readonly rateScale: number;
  private readonly onError: (error: unknown) => void;

  constructor(options: PostgresRateLimiterOptions = {}) {
    this.db = options.db ?? defaultDb;
    this.sleep = options.sleep ?? realSleep;
    this.plans = options.plans ?? {};
    this.safety = checkSafetyFactor(options.safetyFactor ?? DEFAULT_SAFETY_FACTOR);
    this.rateScale = options.rateScale ?? 1;
    if (!(this.rateScale > 0)) throw new RangeError("rateScale must be positive");
    // The error's class only: a database error's text can quote the statement's values.
    this.onError = options.onError ?? ((error) => log.warn({ errorClass: error instanceof Error ? error.name : "unknown" }, "rate-limit bookkeeping failed"));
  }

  async acquire(sellingPartnerId: string, operation: OperationName, signal?: AbortSignal, maxWaitMs?: number): Promise<void> {
    const base = this.plans[operation] ?? usagePlanOf(operation);
    const plan = { rate: base.rate * this.rateScale, burst: base.burst };
    const maxWaitSeconds = maxWaitMs === undefined ? null : maxWaitMs / 1000;
    // Refill by the time elapsed on the database clock, then take one token; with a wait limit, only
    // if the token it reserves arrives within that limit (otherwise nothing is reserved).
    const rows = await this.db.$queryRaw<Row[]>`
      INSERT INTO "SpApiRateBucket" AS b ("sellingPartnerId", "operation", "tokens", "rate", "burst", "updatedAt")
      VALUES (${sellingPartnerId}, ${operation}, ${plan.burst - 1}, ${plan.rate}, ${plan.burst}, clock_timestamp())
      ON CONFLICT ("sellingPartnerId", "operation") DO UPDATE
        SET "tokens" = ${this.refilled()} - 1,
            "updatedAt" = GREATEST(b."updatedAt", clock_timestamp())
        WHERE ${maxWaitSeconds}::float8 IS NULL
           OR ${this.refilled()} - 1
              >= -(${maxWaitSeconds}::float8 * b."rate" * ${this.safety})
      RETURNING "tokens", "rate"`;
    const row = rows[0];
    if (!row) {
      recordRateLimitDeferral(operation);
      throw new RateLimitWaitError(operation, await this.waitForNextToken(sellingPartnerId, operation));
    }
    // The row holds what is left after our reservation; the wait is for the token we just took.
    const waitMs = msUntilToken(row.tokens + 1, row.rate, this.safety);
    if (waitMs > 0) {
      recordRateLimitWait(operation, waitMs / 1000);
      signal?.throwIfAborted();
      await this.sleep(waitMs, signal);
    }
  }

  noteRateLimit(sellingPartnerId: string, operation: OperationName, rate: number): void {
    if (!Number.isFinite(rate) || rate <= 0) return;
    rate *= this.rateScale;
    this.db.$executeRaw`
      UPDATE "SpApiRateBucket" AS b
      SET "tokens" = ${this.refilled()},
          "updatedAt" = GREATEST(b."updatedAt", clock_timestamp()), "rate" = ${rate}
      WHERE b."sellingPartnerId" = ${sellingPartnerId} AND b."operation" = ${operation} AND b."rate" <> ${rate}`.catch(this.onError);
  }

  noteThrottled(sellingPartnerId: string, operation: OperationName): void {
    // Amazon's bucket is empty, so ours must be too (keeping any debt already reserved).
    this.db.$executeRaw`
      UPDATE "SpApiRateBucket" AS b
      SET "tokens" = LEAST(0, ${this.refilled()}),
          "updatedAt" = GREATEST(b."updatedAt", clock_timestamp())
      WHERE b."sellingPartnerId" = ${sellingPartnerId} AND b."operation" = ${operation}`.catch(this.onError);
  }

  /** The bucket row's tokens now, on the database clock. */
  private refilled(): Prisma.Sql {
    return refilledTokensSql(
      Prisma.sql`b."tokens"`,
      Prisma.sql`EXTRACT(EPOCH FROM clock_timestamp() - b."updatedAt")::float8`,
      Prisma.sql`b."rate"`,
      Prisma.sql`b."burst"`,
      this.safety,
    );
  }

  /** Milliseconds until the bucket holds a whole token again. */
  private async waitForNextToken(sellingPartnerId: string, operation: OperationName): Promise<number> {
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT ${this.refilled()} AS "tokens", b."rate"
      FROM "SpApiRateBucket" AS b WHERE b."sellingPartnerId" = ${sellingPartnerId} AND b."operation" = ${operation}`;
    return row ? msUntilToken(row.tokens, row.rate, this.safety) : 0;
  }
}

/** refill.ts's refilledTokens() in SQL: the one place the shared bucket's refill is written. */
export function refilledTokensSql(tokens: Prisma.Sql, elapsedSeconds: Prisma.Sql, rate: Prisma.Sql, burst: Prisma.Sql, safety: number): Prisma.Sql {
  return Prisma.sql`LEAST(${burst}, ${tokens} + GREATEST(0, ${elapsedSeconds}) * ${rate} * ${safety}::float8)`;
}

let shared: PostgresRateLimiter | undefined;

/** The app's limiter (one per process, sharing buckets with every other instance through the database). */
export function postgresRateLimiter(): PostgresRateLimiter {
  shared ??= new PostgresRateLimiter();
  return shared;
}
