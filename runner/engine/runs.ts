// Run lifecycle inside transactions: start (idempotency, singleton, concurrency keys), memoize a
// step (with Inngest's size and count limits), plan the next discovery call, finish (resolve a
// parent's invoke, emit inngest/function.* events), and the event store.
import type { RunnerRun } from "../../lib/generated/prisma/client";
import { newId } from "../protocol/event-ids";
import { keyValue } from "../protocol/expressions";
import type { FunctionDefinition } from "../protocol/function-config";
import { ACTIVE_RUN_STATUSES, SETTLED_STEP_STATUSES, byteLength, lockRun, type EngineContext, type SerializedError, type StepResult, type Tx } from "./context";
import { jsonValue } from "./db";

export interface RunnerEventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  v?: string;
  user?: unknown;
  [key: string]: unknown;
}

export interface ConcurrencySlot {
  id: string;
  limit: number;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Stores events (duplicates by id are dropped) and queues each new one for processing. */
export async function storeEvents(
  tx: Tx,
  ctx: EngineContext,
  events: RunnerEventPayload[],
): Promise<RunnerEventPayload[]> {
  if (events.length === 0) return [];
  const created = await tx.runnerEvent.createManyAndReturn({
    data: events.map((e) => ({ id: e.id, name: e.name, payload: jsonValue(e), ts: BigInt(Math.trunc(e.ts)) })),
    skipDuplicates: true,
    select: { id: true },
  });
  const fresh = new Set(created.map((c) => c.id));
  // A batch may repeat an id: the first occurrence is the one kept.
  const stored = events.filter((e) => fresh.delete(e.id));
  const toProcess: RunnerEventPayload[] = [];
  for (const e of stored) if (await someoneListens(tx, ctx, e.name)) toProcess.push(e);
  if (toProcess.length > 0) {
    const now = new Date();
    await tx.runnerJob.createMany({
      data: toProcess.map((e) => ({ id: newId(), kind: "event", target: e.id, dueAt: now })),
    });
  }
  return stored;
}

/** Whether an event can change anything: a trigger, a cancelOn or a waiter names it. */
async function someoneListens(tx: Tx, ctx: EngineContext, name: string): Promise<boolean> {
  // User events are always processed: a waitForEvent being set up in a concurrent transaction
  // must still see them. Only the runner's own inngest/* events are skipped when nobody listens.
  if (!name.startsWith("inngest/")) return true;
  for (const fn of ctx.registry.all()) {
    if (fn.eventTriggers.some((t) => t.event === name) || fn.cancel.some((c) => c.event === name)) return true;
  }
  return (await tx.runnerWaiter.count({ where: { eventName: name } })) > 0;
}

export interface StartRunInput {
  fn: FunctionDefinition;
  event: RunnerEventPayload;
  triggerKind: "event" | "cron" | "invoke";
  dedupeKey: string;
  parent?: { runId: string; stepId: string };
}

/** Creates a run and its first call, unless idempotency or singleton says otherwise. Returns the run id. */
export async function startRun(tx: Tx, ctx: EngineContext, input: StartRunInput): Promise<string | null> {
  const { fn, event } = input;
  const vars = { event };
  const log = ctx.log;
  const now = new Date();
  let idempotencyKey: string | null = null;
  if (fn.idempotency) {
    idempotencyKey = keyValue(fn.idempotency, vars, log);
    const existing = await tx.runnerRun.findFirst({
      where: { functionId: fn.id, idempotencyKey, createdAt: { gt: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) } },
      select: { id: true },
    });
    if (existing) {
      log(`run of ${fn.id} for event ${event.id} skipped: idempotency key ${idempotencyKey} already used by ${existing.id}`);
      return null;
    }
  }
  let singletonKey: string | null = null;
  let status = "queued";
  if (fn.singleton) {
    singletonKey = fn.singleton.key ? keyValue(fn.singleton.key, vars, log) : "*";
    // Serialises the check-then-start for this function and key across concurrent transactions.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`runner-singleton:${fn.id}:${singletonKey}`}))`;
    const active = await tx.runnerRun.findMany({
      where: { functionId: fn.id, singletonKey, status: { in: [...ACTIVE_RUN_STATUSES] } },
      select: { id: true },
    });
    if (active.length > 0 && fn.singleton.mode === "skip") {
      status = "skipped";
      log(`run of ${fn.id} skipped: singleton ${singletonKey} is held by ${active.map((a) => a.id).join(", ")}`);
    } else {
      for (const other of active) {
        const locked = await lockRun(tx, other.id);
        if (locked && ACTIVE_RUN_STATUSES.includes(locked.status as never)) {
          await finishRun(tx, ctx, locked, "cancelled", {
            error: { name: "SingletonCancelled", message: `Cancelled by a newer run of ${fn.id} for singleton key ${singletonKey}` },
          });
        }
      }
    }
  }
  const concurrency: ConcurrencySlot[] = fn.concurrency.map((rule) => {
    const scope = rule.scope === "fn" ? fn.id : rule.scope;
    const value = rule.key ? keyValue(rule.key, vars, log) : "*";
    return { id: `${scope}|${rule.key ?? ""}|${value}`, limit: rule.limit };
  });
  const id = newId();
  const created = await tx.runnerRun.createMany({
    data: [
      {
        id,
        functionId: fn.id,
        status,
        eventId: event.id,
        event: jsonValue(event),
        triggerKind: input.triggerKind,
        dedupeKey: input.dedupeKey,
        idempotencyKey,
        singletonKey,
        concurrency: jsonValue(concurrency),
        stateBytes: byteLength(event),
        parentRunId: input.parent?.runId,
        parentStepId: input.parent?.stepId,
        endedAt: status === "skipped" ? now : null,
      },
    ],
    skipDuplicates: true,
  });
  if (created.count === 0) return null; // this trigger already started this function
  if (status === "skipped") return null;
  await tx.runnerJob.create({ data: { id: newId(), kind: "call", runId: id, target: "step", dueAt: now } });
  if (fn.startTimeoutMs !== undefined) {
    await tx.runnerJob.create({
      data: { id: newId(), kind: "start_timeout", runId: id, target: "run", dueAt: new Date(now.getTime() + fn.startTimeoutMs) },
    });
  }
  log(`run ${id} queued: ${fn.id} (${input.triggerKind} ${event.name})`);
  return id;
}

/**
 * Settles a step with its result, enforcing Inngest's limits. Returns false when the run failed
 * because of a limit (the caller stops handling that response).
 */
export async function memoStep(
  tx: Tx,
  ctx: EngineContext,
  run: RunnerRun,
  step: { id: string; name?: string; op?: string },
  result: StepResult,
  options: { deferRunUpdate?: boolean } = {},
): Promise<boolean> {
  const { maxSteps, maxStepOutputBytes, maxRunStateBytes } = ctx.options.limits;
  const bytes = byteLength(result);
  const name = step.name ?? step.id;
  let limitError: SerializedError | undefined;
  if (run.stepCount + 1 > maxSteps) {
    limitError = { name: "StepLimitExceeded", message: `Run exceeded ${maxSteps} steps (Inngest's limit per run); fan out into child runs or events.` };
  } else if (bytes > maxStepOutputBytes) {
    limitError = {
      name: "OutputTooLarge",
      message: `Step "${name}" returned ${bytes} bytes; Inngest's limit is ${maxStepOutputBytes}. Return ids and counts, keep rows in the database.`,
    };
  } else if (run.stateBytes + bytes > maxRunStateBytes) {
    limitError = { name: "StateTooLarge", message: `Run state would reach ${run.stateBytes + bytes} bytes; Inngest's limit is ${maxRunStateBytes}.` };
  }
  if (limitError) {
    const existing = await tx.runnerStep.findUnique({ where: { runId_id: { runId: run.id, id: step.id } } });
    if (existing && SETTLED_STEP_STATUSES.includes(existing.status as never)) return true;
    await finishRun(tx, ctx, run, "failed", { error: limitError });
    return false;
  }
  const seq = run.stepCount + 1;
  const ok = "data" in result;
  // One statement that settles the step unless it already is (a late duplicate answer).
  const settled = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO runner_step (run_id, id, name, op, status, seq, data, error, output_bytes, ended_at)
    VALUES (${run.id}, ${step.id}, ${name}, ${step.op ?? "StepRun"}, ${ok ? "completed" : "failed"}, ${seq},
            ${ok ? JSON.stringify(result.data ?? null) : null}::jsonb, ${ok ? null : JSON.stringify(result.error)}::jsonb,
            ${bytes}, ${new Date()})
    ON CONFLICT (run_id, id) DO UPDATE SET
      status = EXCLUDED.status, seq = EXCLUDED.seq, data = EXCLUDED.data, error = EXCLUDED.error,
      output_bytes = EXCLUDED.output_bytes, ended_at = EXCLUDED.ended_at,
      op = CASE WHEN ${step.op ?? null}::text IS NULL THEN runner_step.op ELSE EXCLUDED.op END
    WHERE runner_step.status NOT IN ('completed', 'failed')
    RETURNING id`;
  if (settled.length === 0) return true;
  run.stepCount = seq;
  run.stateBytes += bytes;
  // The caller that holds the run lock may write these with its own update (one statement less).
  if (!options.deferRunUpdate) {
    await tx.runnerRun.update({ where: { id: run.id }, data: { stepCount: run.stepCount, stateBytes: run.stateBytes } });
  }
  return true;
}

/** Marks a step as waiting on something (planned call, retry, sleep, wait, invoke). */
export async function markStepPending(
  tx: Tx,
  runId: string,
  step: { id: string; name: string; op: string },
  status: string,
  attempt = 0,
): Promise<boolean> {
  const existing = await tx.runnerStep.findUnique({ where: { runId_id: { runId, id: step.id } } });
  if (existing && SETTLED_STEP_STATUSES.includes(existing.status as never)) return false;
  await tx.runnerStep.upsert({
    where: { runId_id: { runId, id: step.id } },
    create: { runId, id: step.id, name: step.name, op: step.op, status, attempt },
    update: { status, attempt, op: step.op },
  });
  return true;
}

/**
 * Queues the next discovery call once nothing of the run is in flight: one discovery for a whole
 * Promise.all group, and a step waiting for its retry is never planned twice.
 */
export async function maybeDiscover(
  tx: Tx,
  _ctx: EngineContext,
  runId: string,
  knownStatus?: string,
  knownNothingPending = false,
): Promise<void> {
  const status = knownStatus ?? (await tx.runnerRun.findUnique({ where: { id: runId }, select: { status: true } }))?.status;
  if (!status || !ACTIVE_RUN_STATUSES.includes(status as never)) return;
  if (!knownNothingPending) {
    const pending = await tx.runnerStep.count({ where: { runId, status: { notIn: [...SETTLED_STEP_STATUSES] } } });
    if (pending > 0) return;
  }
  await tx.$executeRaw`
    INSERT INTO runner_job (id, kind, run_id, target, attempt, failures, due_at)
    VALUES (${newId()}, 'call', ${runId}, 'step', 0, 0, ${new Date()})
    ON CONFLICT (run_id, kind, target) DO NOTHING`;
}

export type FinalStatus = "completed" | "failed" | "cancelled";

/** Ends a run: clears its jobs and waiters, resolves a parent's invoke step, emits internal events. */
export async function finishRun(
  tx: Tx,
  ctx: EngineContext,
  run: RunnerRun,
  status: FinalStatus,
  result: { output?: unknown; error?: SerializedError },
): Promise<void> {
  if (!ACTIVE_RUN_STATUSES.includes(run.status as never)) return;
  const now = new Date();
  await tx.runnerRun.update({
    where: { id: run.id },
    data: {
      status,
      output: status === "completed" ? jsonValue(result.output) : undefined,
      error: result.error ? jsonValue(result.error) : undefined,
      endedAt: now,
      startedAt: run.startedAt ?? now,
    },
  });
  run.status = status;
  await tx.runnerJob.deleteMany({ where: { runId: run.id } });
  await tx.runnerWaiter.deleteMany({ where: { runId: run.id } });
  if (status !== "completed") {
    await tx.runnerStep.updateMany({
      where: { runId: run.id, status: { notIn: [...SETTLED_STEP_STATUSES] } },
      data: { status: "cancelled", endedAt: now },
    });
  }
  ctx.log(`run ${run.id} ${status}: ${run.functionId}${result.error ? ` (${result.error.name}: ${result.error.message})` : ""}`, status === "failed" ? "warn" : "info");

  if (run.parentRunId && run.parentStepId) {
    const parent = await lockRun(tx, run.parentRunId);
    if (parent && ACTIVE_RUN_STATUSES.includes(parent.status as never)) {
      const step = await tx.runnerStep.findUnique({ where: { runId_id: { runId: parent.id, id: run.parentStepId } } });
      if (step && step.status === "invoking") {
        const outcome: StepResult =
          status === "completed"
            ? { data: result.output ?? null }
            : { error: result.error ?? { name: "Error", message: `Invoked run ${run.id} ${status}` } };
        await tx.runnerJob.deleteMany({ where: { runId: parent.id, kind: "invoke_timeout", target: step.id } });
        if (await memoStep(tx, ctx, parent, { id: step.id }, outcome)) await maybeDiscover(tx, ctx, parent.id, parent.status);
      }
    }
  }

  const event = run.event as unknown as RunnerEventPayload;
  const base = { function_id: run.functionId, run_id: run.id, event };
  const internal: RunnerEventPayload[] = [];
  const make = (name: string, data: Record<string, unknown>): RunnerEventPayload => ({ id: newId(), name, data, ts: now.getTime() });
  if (status === "failed") internal.push(make("inngest/function.failed", { ...base, error: result.error }));
  if (status === "cancelled") internal.push(make("inngest/function.cancelled", { ...base, error: result.error }));
  internal.push(
    make("inngest/function.finished", {
      ...base,
      ...(status === "completed" ? { result: result.output ?? null } : { error: result.error }),
    }),
  );
  await storeEvents(tx, ctx, internal);
}
