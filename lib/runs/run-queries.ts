// Read side of the embedded runner's tables (runner_*) for the operator pages: the offline
// counterpart of the Inngest dashboard. The runner writes these tables; the app only reads them.
import { z } from "zod";
import { safeText } from "../api/validation";
import { runIdSchema } from "./run-id";
import { db } from "../db";

export const RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled", "skipped"] as const;

export const listRunsQuerySchema = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  // Compared in the database: no control characters (a NUL byte makes PostgreSQL refuse the query).
  function: safeText(200).trim().min(1).optional(),
  /** The id of the last run of the previous page (run ids are ULIDs, so they sort by creation). */
  cursor: runIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

export interface RunSummary {
  id: string;
  functionId: string;
  trigger: { kind: string; event: string };
  status: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** Tries of the run's most-retried target (1 when nothing was retried), as Inngest counts attempts. */
  attempts: number;
  /** HTTP calls the runner made to the app for this run (discoveries, steps, retries). */
  calls: number;
  steps: number;
  /** Whose run it is: the seller connection and user its event names; null for runs about no tenant (crons, sweeps). */
  tenant: RunTenant | null;
}

/**
 * The tenant of a run, from its event's data (`sellerConnectionId`, `userId`, as the app's events
 * carry them) joined to the connection and its user. A connection deleted since then keeps its id with
 * no selling partner; a user deleted since then has no email.
 */
export interface RunTenant {
  sellerConnectionId: string | null;
  sellingPartnerId: string | null;
  region: string | null;
  userEmail: string | null;
}

type RunRow = {
  id: string;
  functionId: string;
  triggerKind: string;
  event: unknown;
  status: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  attempts: number;
  stepCount: number;
};

function eventName(event: unknown): string {
  return typeof event === "object" && event && "name" in event ? String((event as { name: unknown }).name) : "";
}

const tenantRefSchema = z.looseObject({
  data: z.looseObject({
    sellerConnectionId: z.string().max(64).optional().catch(undefined),
    userId: z.string().max(64).optional().catch(undefined),
  }),
});

/** The tenant ids an event names, if any. */
function tenantRef(event: unknown): { sellerConnectionId?: string; userId?: string } | null {
  const parsed = tenantRefSchema.safeParse(event);
  if (!parsed.success) return null;
  const { sellerConnectionId, userId } = parsed.data.data;
  return sellerConnectionId || userId ? { sellerConnectionId, userId } : null;
}

/** Tenants of many runs with two queries (connections with their users, then users named directly). */
async function tenantsOf(runs: { id: string; event: unknown }[]): Promise<Map<string, RunTenant>> {
  const refs = new Map(runs.flatMap((run) => {
    const ref = tenantRef(run.event);
    return ref ? [[run.id, ref] as const] : [];
  }));
  const connectionIds = [...new Set([...refs.values()].flatMap((r) => (r.sellerConnectionId ? [r.sellerConnectionId] : [])))];
  const connections = connectionIds.length
    ? await db.sellerConnection.findMany({
        where: { id: { in: connectionIds } },
        select: { id: true, sellingPartnerId: true, region: true, user: { select: { id: true, email: true } } },
      })
    : [];
  const byConnection = new Map(connections.map((c) => [c.id, c]));
  const userIds = [
    ...new Set(
      [...refs.values()].flatMap((r) => (r.userId && !(r.sellerConnectionId && byConnection.has(r.sellerConnectionId)) ? [r.userId] : [])),
    ),
  ];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  const tenants = new Map<string, RunTenant>();
  for (const [runId, ref] of refs) {
    const connection = ref.sellerConnectionId ? byConnection.get(ref.sellerConnectionId) : undefined;
    tenants.set(runId, {
      sellerConnectionId: ref.sellerConnectionId ?? null,
      sellingPartnerId: connection?.sellingPartnerId ?? null,
      region: connection?.region ?? null,
      userEmail: connection?.user.email ?? (ref.userId ? (emailOf.get(ref.userId) ?? null) : null),
    });
  }
  return tenants;
}

function summarise(run: RunRow, maxRetryAttempt = 0, tenant: RunTenant | null = null): RunSummary {
  return {
    id: run.id,
    functionId: run.functionId,
    trigger: { kind: run.triggerKind, event: eventName(run.event) },
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    endedAt: run.endedAt?.toISOString() ?? null,
    durationMs: run.startedAt && run.endedAt ? run.endedAt.getTime() - run.startedAt.getTime() : null,
    attempts: maxRetryAttempt + 1,
    calls: run.attempts,
    steps: run.stepCount,
    tenant,
  };
}

/** Newest runs first, filtered by status and function, one page at a time. */
export async function listRuns(query: ListRunsQuery): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
  const rows = await db.runnerRun.findMany({
    where: {
      ...(query.status ? { status: query.status } : {}),
      ...(query.function ? { functionId: query.function } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
    select: {
      id: true,
      functionId: true,
      triggerKind: true,
      event: true,
      status: true,
      createdAt: true,
      startedAt: true,
      endedAt: true,
      attempts: true,
      stepCount: true,
    },
  });
  const page = rows.slice(0, query.limit);
  // `attempt` is 0-based per target (a step or the discovery call), so the highest one is the retries.
  const retried = await db.runnerAttempt.groupBy({
    by: ["runId"],
    where: { runId: { in: page.map((run) => run.id) }, attempt: { gt: 0 } },
    _max: { attempt: true },
  });
  const maxAttempt = new Map(retried.map((row) => [row.runId, row._max.attempt ?? 0]));
  const tenants = await tenantsOf(page);
  return { runs: page.map((run) => summarise(run, maxAttempt.get(run.id), tenants.get(run.id) ?? null)), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

export interface RunStepView {
  id: string;
  name: string;
  op: string;
  status: string;
  order: number | null;
  output: unknown;
  error: unknown;
  attempt: number;
  startedAt: string;
  endedAt: string | null;
}

export interface RunAttemptView {
  target: string;
  attempt: number;
  httpStatus: number;
  outcome: string;
  error: unknown;
  durationMs: number;
  at: string;
}

/** One run with its steps (in the order they settled) and every call made for it; null if unknown. */
export async function getRun(runId: string) {
  const run = await db.runnerRun.findUnique({
    where: { id: runId },
    include: {
      steps: { orderBy: [{ seq: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }] },
      attemptLog: { orderBy: { at: "asc" } },
    },
  });
  if (!run) return null;
  const stepNames = new Map(run.steps.map((s) => [s.id, s.name]));
  const tenant = (await tenantsOf([run])).get(run.id) ?? null;
  return {
    ...summarise(run, Math.max(0, ...run.attemptLog.map((a) => a.attempt)), tenant),
    event: run.event,
    output: run.output,
    error: run.error,
    parentRunId: run.parentRunId,
    stepList: run.steps.map(
      (s): RunStepView => ({
        id: s.id,
        name: s.name,
        op: s.op,
        status: s.status,
        order: s.seq,
        output: s.status === "completed" ? s.data : null,
        error: s.error,
        attempt: s.attempt,
        startedAt: s.createdAt.toISOString(),
        endedAt: s.endedAt?.toISOString() ?? null,
      }),
    ),
    attemptLog: run.attemptLog.map(
      (a): RunAttemptView => ({
        target: a.target === "step" ? "discovery" : (stepNames.get(a.target) ?? a.target),
        attempt: a.attempt,
        httpStatus: a.status,
        outcome: a.outcome,
        error: a.error,
        durationMs: a.durationMs,
        at: a.at.toISOString(),
      }),
    ),
  };
}

export type RunView = NonNullable<Awaited<ReturnType<typeof getRun>>>;

/** Function ids that have runs, for the filter. */
export async function listRunFunctions(): Promise<string[]> {
  const rows = await db.runnerRun.findMany({ distinct: ["functionId"], select: { functionId: true }, orderBy: { functionId: "asc" } });
  return rows.map((r) => r.functionId);
}
