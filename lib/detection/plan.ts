// What a detection run works from, decided once at its start (the Inngest function's first step, so
// every rule step of the run sees the same clock, mode and `since`): Amazon's now (the sandbox's clock
// when time-scaled), the mode (given, else the kind of the sync it follows, else full), and for an
// incremental run the instant from which synced rows are new: the sync run's start in Amazon's time
// (rows carry `syncedAt` on the connector's clock), an hour early for safety. An incremental run's
// touched keys are computed here once, not by every rule step; when they are many (a sync that
// re-read most of the catalogue), the run is a full one: scoped queries over most keys cost more
// than one pass over everything.
import { db as appDb, type Db } from "../db";
import { amazonTime } from "../sync/amazon-time";
import { countOpenFindings } from "./run-detection";
import { supportedRules } from "./rules";
import { scopeSize, touchedScope } from "./scope";
import type { DetectionMode, Scope } from "./types";
import { isoDay } from "./windows";

export interface DetectionPlan {
  sellerConnectionId: string;
  mode: DetectionMode;
  /** ISO instants. */
  now: string;
  since: string | null;
  /** Incremental: the keys rows synced since `since` touched (at most MAX_INCREMENTAL_SCOPE_KEYS). */
  scope: Scope | null;
  syncRunId: string | null;
  ruleIds: string[];
}

/** Beyond this many touched keys (all kinds together) an incremental run is run as a full one. */
export const MAX_INCREMENTAL_SCOPE_KEYS = 5_000;

export interface PlanDetectionInput {
  sellerConnectionId: string;
  syncRunId?: string;
  mode?: DetectionMode;
  /** Only these rules (an early run during a historical sync); default every supported rule. */
  ruleIds?: readonly string[];
  /** Tests: another bound than MAX_INCREMENTAL_SCOPE_KEYS. */
  maxScopeKeys?: number;
  db?: Db;
}

/**
 * The keys an incremental run rechecks, or null when they are more than `maxKeys`: run a full one.
 * `keys` is how many were touched either way.
 */
export async function incrementalScope(db: Db, sellerConnectionId: string, since: Date, now: Date, maxKeys = MAX_INCREMENTAL_SCOPE_KEYS): Promise<{ scope: Scope | null; keys: number }> {
  const touched = await touchedScope(db, sellerConnectionId, since, isoDay(now));
  const keys = scopeSize(touched);
  return { scope: keys > maxKeys ? null : touched, keys };
}

const SAFETY_MS = 3_600_000;

export async function planDetection(input: PlanDetectionInput): Promise<DetectionPlan | { skipped: string }> {
  const db = input.db ?? appDb;
  const seller = await db.sellerConnection.findUnique({ where: { id: input.sellerConnectionId }, select: { id: true } });
  if (!seller) return { skipped: "The seller connection no longer exists" };
  const time = amazonTime();
  const nowMs = time.clock.now();
  const run = input.syncRunId
    ? await db.syncRun.findFirst({ where: { id: input.syncRunId, sellerConnectionId: input.sellerConnectionId }, select: { id: true, kind: true, startedAt: true } })
    : await db.syncRun.findFirst({ where: { sellerConnectionId: input.sellerConnectionId }, orderBy: { startedAt: "desc" }, select: { id: true, kind: true, startedAt: true } });
  let mode: DetectionMode = input.mode ?? (input.syncRunId && run?.kind === "incremental" ? "incremental" : "full");
  let since: string | null = null;
  if (mode === "incremental") {
    if (!run) mode = "full";
    else {
      // The run's start on Amazon's clock: now there, less the real time elapsed since, scaled.
      const startedAmazonMs = nowMs - Math.max(0, Date.now() - run.startedAt.getTime()) * time.scale;
      since = new Date(startedAmazonMs - SAFETY_MS).toISOString();
    }
  }
  let scope: Scope | null = null;
  if (mode === "incremental" && since) {
    scope = (await incrementalScope(db, input.sellerConnectionId, new Date(since), new Date(nowMs), input.maxScopeKeys)).scope;
    if (!scope) {
      mode = "full";
      since = null;
    }
  }
  return {
    sellerConnectionId: input.sellerConnectionId,
    mode,
    now: new Date(nowMs).toISOString(),
    since,
    scope,
    syncRunId: input.syncRunId && run ? run.id : null,
    ruleIds: supportedRules()
      .map((r) => r.id)
      .filter((id) => !input.ruleIds || input.ruleIds.includes(id)),
  };
}

/** Open findings after the run, written to the sync run it follows (SyncRun.claimsDetected). */
export async function recordDetection(plan: Pick<DetectionPlan, "sellerConnectionId" | "syncRunId" | "now">, db: Db = appDb): Promise<{ openFindings: number }> {
  const openFindings = await countOpenFindings(plan.sellerConnectionId, new Date(plan.now), db);
  if (plan.syncRunId) {
    await db.syncRun.updateMany({ where: { id: plan.syncRunId, sellerConnectionId: plan.sellerConnectionId }, data: { claimsDetected: openFindings } });
  }
  return { openFindings };
}
