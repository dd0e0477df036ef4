// One call to the app's serve() endpoint and what its answer does to the run: complete, fail,
// retry with backoff, or handle the opcodes of a 206 (memoize, plan, sleep, wait, invoke).
import type { RunnerRun } from "../../lib/generated/prisma/client";
import { backoffDelayMs } from "../config";
import { retryAfterMs, sleepEndsAt, parseDurationMs } from "../protocol/durations";
import { newId } from "../protocol/event-ids";
import { canonicalJson, signatureHeader, verifySignature } from "../protocol/signature";
import { ACTIVE_RUN_STATUSES, lockRun, readRun, toSerializedError, type EngineContext, type SerializedError, type Tx } from "./context";
import { withTx } from "./db";
import type { ConcurrencyLimiter } from "./concurrency";
import {
  finishRun,
  markStepPending,
  maybeDiscover,
  memoStep,
  startRun,
  storeEvents,
  type ConcurrencySlot,
  type RunnerEventPayload,
} from "./runs";

export interface ClaimedJob {
  id: string;
  kind: string;
  runId: string | null;
  target: string;
  attempt: number;
  failures: number;
  /** The worker that holds the job's lease. */
  owner: string;
}

interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown> | null;
  data?: unknown;
  error?: unknown;
  userland?: { id?: string };
}

interface CallOutcome {
  status: number;
  headers: Headers;
  text: string;
  transportError?: string;
  durationMs: number;
}

/** Runs a `call` job end to end. The HTTP call happens outside any transaction. */
export async function processCall(
  ctx: EngineContext,
  job: ClaimedJob,
  limiter: ConcurrencyLimiter,
  signal: AbortSignal,
): Promise<void> {
  const runId = job.runId ?? "";
  let run = await readRun(ctx.db, runId);
  if (!run || !ACTIVE_RUN_STATUSES.includes(run.status as never)) {
    await ctx.db.runnerJob.deleteMany({ where: { id: job.id } });
    return;
  }
  const fn = ctx.registry.get(run.functionId);
  if (!fn) {
    ctx.log(`run ${run.id}: function ${run.functionId} is not registered (unknown function id): call dropped, run failed`, "warn");
    await withTx(ctx.db, async (tx) => {
      await tx.runnerJob.deleteMany({ where: { id: job.id } });
      const locked = await lockRun(tx, runId);
      if (locked) {
        await finishRun(tx, ctx, locked, "failed", {
          error: { name: "FunctionNotFound", message: `Function ${locked.functionId} is not registered with the runner` },
        });
      }
    });
    return;
  }
  const slots = (run.concurrency as unknown as ConcurrencySlot[]) ?? [];
  let release: () => void;
  try {
    release = await limiter.acquire(slots, signal);
  } catch {
    return; // stopping while queued behind a concurrency limit
  }
  // Read the state again after waiting for a slot: meanwhile other steps may have settled, or the
  // run may have been cancelled.
  if (slots.length > 0) {
    try {
      const fresh = await readRun(ctx.db, runId);
      if (!fresh || !ACTIVE_RUN_STATUSES.includes(fresh.status as never)) {
        release();
        return;
      }
      run = fresh;
    } catch (error) {
      release();
      throw error;
    }
  }
  if (run.status === "queued") {
    // A run starts when its first call gets a concurrency slot (timeouts.start counts the wait).
    try {
      run = await startRunning(ctx, run, fn.finishTimeoutMs);
    } catch (error) {
      release();
      throw error;
    }
    if (run.status !== "running") {
      release();
      return;
    }
  }
  const signingKey = ctx.options.signingKey;
  let body: string;
  let url: URL;
  const headers: Record<string, string> = {};
  try {
    const steps = await ctx.db.$queryRaw<{ id: string; status: string; data: unknown; error: unknown }[]>`
      SELECT id, status, data, error FROM runner_step
      WHERE run_id = ${runId} AND status IN ('completed', 'failed') ORDER BY seq`;
    const memo: Record<string, unknown> = {};
    for (const s of steps) memo[s.id] = s.status === "completed" ? { data: s.data } : { error: s.error };
    const payload = {
      event: run.event,
      events: [run.event],
      steps: memo,
      version: run.version,
      ctx: {
        run_id: run.id,
        attempt: job.attempt,
        max_attempts: fn.retries + 1,
        use_api: false,
        // Checkpointing stays off: sending fn_id would make the SDK call /v1/checkpoint on us.
        disable_immediate_execution: run.disableImmediate,
        stack: { stack: steps.map((s) => s.id), current: steps.length },
      },
    };
      body = signingKey ? canonicalJson(payload) : JSON.stringify(payload);
    url = new URL(fn.url);
    url.searchParams.set("fnId", fn.id);
    url.searchParams.set("stepId", job.target);
    headers["content-type"] = "application/json";
    headers["x-inngest-server-kind"] = signingKey ? "cloud" : "dev";
    if (run.version > 0) headers["x-inngest-req-version"] = String(run.version);
    if (signingKey) headers["x-inngest-signature"] = signatureHeader(signingKey, body, new Date());
  } catch (error) {
    release();
    throw error;
  }
  let outcome: CallOutcome;
  const started = Date.now();
  try {
    const timeout = AbortSignal.timeout(ctx.options.callTimeoutMs);
    const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.any([signal, timeout]) });
    outcome = { status: res.status, headers: res.headers, text: await res.text(), durationMs: Date.now() - started };
  } catch (error) {
    if (signal.aborted) return; // the runner is stopping: the job's lease is released and it runs again
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    outcome = {
      status: 0,
      headers: new Headers(),
      text: "",
      transportError: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ""}`,
      durationMs: Date.now() - started,
    };
  } finally {
    release();
  }
  if (signal.aborted) return;
  if (signingKey && outcome.transportError === undefined) {
    // The SDK signs its answers with the key that verified our call; say so loudly when one does not match.
    const keys = [signingKey, ctx.options.signingKeyFallback].filter((k): k is string => Boolean(k));
    if (!verifySignature(outcome.headers.get("x-inngest-signature"), outcome.text, keys, new Date())) {
      ctx.log(`run ${runId}: WARNING the app's answer (${outcome.status}) carries no valid x-inngest-signature`, "warn");
    }
  }
  await withTx(ctx.db, (tx) => applyOutcome(tx, ctx, job, fn.retries + 1, outcome));
}

async function startRunning(ctx: EngineContext, run: RunnerRun, finishTimeoutMs: number | undefined): Promise<RunnerRun> {
  return withTx(ctx.db, async (tx) => {
    const locked = await lockRun(tx, run.id);
    if (!locked || locked.status !== "queued") return locked ?? run;
    const now = new Date();
    await tx.runnerJob.deleteMany({ where: { runId: run.id, kind: "start_timeout" } });
    if (finishTimeoutMs !== undefined) {
      await tx.runnerJob.createMany({
        data: [{ id: newId(), kind: "finish_timeout", runId: run.id, target: "run", dueAt: new Date(now.getTime() + finishTimeoutMs) }],
        skipDuplicates: true,
      });
    }
    return tx.runnerRun.update({ where: { id: run.id }, data: { status: "running", startedAt: now } });
  });
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function applyOutcome(tx: Tx, ctx: EngineContext, job: ClaimedJob, maxAttempts: number, outcome: CallOutcome) {
  const runId = job.runId ?? "";
  // The job may have been removed while we called (run cancelled, timed out): drop the late answer.
  const stillOurs = await tx.$executeRaw`DELETE FROM runner_job WHERE id = ${job.id} AND locked_by = ${job.owner}`;
  const run = await lockRun(tx, runId);
  if (stillOurs === 0 || !run || !ACTIVE_RUN_STATUSES.includes(run.status as never)) return;
  const now = new Date();
  const parsed = parseBody(outcome.text);
  const reqVersion = Number(outcome.headers.get("x-inngest-req-version"));
  const noRetry = outcome.headers.get("x-inngest-no-retry") === "true";
  const label = outcome.transportError
    ? "unreachable"
    : outcome.status === 200
      ? "completed"
      : outcome.status === 206
        ? "steps"
        : noRetry
          ? "failed"
          : "error";
  await tx.runnerAttempt.create({
    data: {
      id: newId(),
      runId,
      target: job.target,
      attempt: job.attempt,
      status: outcome.status,
      outcome: label,
      error:
        outcome.transportError !== undefined
          ? { name: "FetchError", message: outcome.transportError }
          : outcome.status >= 300 && outcome.status !== 206
            ? (toSerializedError(parsed) as object)
            : undefined,
      durationMs: outcome.durationMs,
    },
  });
  run.attempts += 1;
  if (reqVersion > 0) run.version = reqVersion;
  await decide(tx, ctx, run, job, maxAttempts, outcome, parsed, noRetry, now);
  // One write for everything this answer changed on the run row (it is locked).
  await tx.$executeRaw`
    UPDATE runner_run SET attempts = ${run.attempts}, version = ${run.version}, step_count = ${run.stepCount},
      state_bytes = ${run.stateBytes}, disable_immediate = ${run.disableImmediate}
    WHERE id = ${runId}`;
}

async function decide(
  tx: Tx,
  ctx: EngineContext,
  run: RunnerRun,
  job: ClaimedJob,
  maxAttempts: number,
  outcome: CallOutcome,
  parsed: unknown,
  noRetry: boolean,
  now: Date,
): Promise<void> {
  const runId = run.id;
  if (outcome.transportError !== undefined) {
    // The app is down or restarting: back off without using up the function's attempts.
    const delay = backoffDelayMs(ctx.options, job.failures + 1);
    ctx.log(`run ${runId}: app unreachable (${outcome.transportError}); retrying in ${delay}ms`, "warn");
    await requeue(tx, job, { failures: job.failures + 1, dueAt: new Date(now.getTime() + delay) });
    return;
  }
  if (outcome.status === 200) {
    await finishRun(tx, ctx, run, "completed", { output: parsed === "" ? null : parsed });
    return;
  }
  if (outcome.status === 206) {
    await handleOps(tx, ctx, run, job, maxAttempts, Array.isArray(parsed) ? (parsed as Op[]) : [parsed as Op], outcome.headers);
    return;
  }
  if (outcome.status === 401 || outcome.status === 403) {
    await finishRun(tx, ctx, run, "failed", {
      error: {
        name: "Unauthorized",
        message: `The app refused the runner's call (${outcome.status}): check that the runner and the app share INNGEST_SIGNING_KEY, or that the app runs with INNGEST_DEV.`,
      },
    });
    return;
  }
  const error = toSerializedError(parsed);
  if (noRetry) {
    await finishRun(tx, ctx, run, "failed", { error });
    return;
  }
  const next = job.attempt + 1;
  if (next >= maxAttempts) {
    if (job.target === "step") await finishRun(tx, ctx, run, "failed", { error });
    else if (await memoStep(tx, ctx, run, { id: job.target }, { error }, { deferRunUpdate: true })) await maybeDiscover(tx, ctx, runId, run.status);
    return;
  }
  const delay = retryAfterMs(outcome.headers.get("retry-after"), now) ?? backoffDelayMs(ctx.options, next);
  ctx.log(`run ${runId}: ${job.target === "step" ? "function" : `step ${job.target.slice(0, 8)}`} error (${error.message}); attempt ${next + 1}/${maxAttempts} in ${delay}ms`, "warn");
  if (job.target !== "step") await tx.runnerStep.updateMany({ where: { runId, id: job.target }, data: { status: "retrying", attempt: next } });
  await requeue(tx, job, { attempt: next, failures: 0, dueAt: new Date(now.getTime() + delay) });
}

async function requeue(tx: Tx, job: ClaimedJob, changes: { attempt?: number; failures: number; dueAt: Date }) {
  await tx.runnerJob.create({
    data: {
      id: newId(),
      kind: "call",
      runId: job.runId,
      target: job.target,
      attempt: changes.attempt ?? job.attempt,
      failures: changes.failures,
      dueAt: changes.dueAt,
    },
  });
}

function opName(op: Op): string {
  return op.displayName ?? op.userland?.id ?? op.name ?? op.id;
}

async function handleOps(
  tx: Tx,
  ctx: EngineContext,
  run: RunnerRun,
  job: ClaimedJob,
  maxAttempts: number,
  ops: Op[],
  headers: Headers,
): Promise<void> {
  const now = new Date();
  // After parallel steps the SDK must plan every step rather than run it inside discovery
  // (written with the run's other changes by the caller).
  if (ops.length > 1) run.disableImmediate = true;
  const defer = { deferRunUpdate: true };
  for (const op of ops) {
    if (!ACTIVE_RUN_STATUSES.includes(run.status as never)) return;
    const step = { id: op.id, name: opName(op), op: op.op };
    switch (op.op) {
      case "StepRun":
      case "Step":
        if (!(await memoStep(tx, ctx, run, step, { data: op.data ?? null }, defer))) return;
        break;
      case "StepFailed":
        if (!(await memoStep(tx, ctx, run, step, { error: toSerializedError(op.error) }, defer))) return;
        break;
      case "StepError": {
        const next = (job.target === op.id ? job.attempt : 0) + 1;
        if (next >= maxAttempts) {
          if (!(await memoStep(tx, ctx, run, step, { error: toSerializedError(op.error) }, defer))) return;
          break;
        }
        const delay = retryAfterMs(headers.get("retry-after"), now) ?? backoffDelayMs(ctx.options, next);
        ctx.log(`run ${run.id}: step ${step.name} failed (${toSerializedError(op.error).message}); attempt ${next + 1}/${maxAttempts} in ${delay}ms`, "warn");
        if (await markStepPending(tx, run.id, step, "retrying", next)) {
          await tx.runnerJob.createMany({
            data: [{ id: newId(), kind: "call", runId: run.id, target: op.id, attempt: next, dueAt: new Date(now.getTime() + delay) }],
            skipDuplicates: true,
          });
        }
        break;
      }
      case "StepPlanned":
        if (await markStepPending(tx, run.id, step, "planned")) {
          await tx.runnerJob.createMany({
            data: [{ id: newId(), kind: "call", runId: run.id, target: op.id, dueAt: now }],
            skipDuplicates: true,
          });
        }
        break;
      case "Sleep": {
        const until = sleepEndsAt(String(op.opts?.duration ?? op.name ?? "0s"), now);
        if (await markStepPending(tx, run.id, step, "sleeping")) {
          await tx.runnerJob.createMany({
            data: [{ id: newId(), kind: "sleep", runId: run.id, target: op.id, dueAt: until }],
            skipDuplicates: true,
          });
        }
        break;
      }
      case "WaitForEvent": {
        const eventName = String(op.opts?.event ?? op.name ?? "");
        const timeoutMs = op.opts?.timeout ? parseDurationMs(String(op.opts.timeout)) : 0;
        const expiresAt = new Date(now.getTime() + timeoutMs);
        if (await markStepPending(tx, run.id, step, "waiting")) {
          await tx.runnerWaiter.createMany({
            data: [{ id: newId(), runId: run.id, stepId: op.id, eventName, expression: (op.opts?.if as string | undefined) ?? null, expiresAt }],
            skipDuplicates: true,
          });
          await tx.runnerJob.createMany({
            data: [{ id: newId(), kind: "wait_timeout", runId: run.id, target: op.id, dueAt: expiresAt }],
            skipDuplicates: true,
          });
        }
        break;
      }
      case "InvokeFunction": {
        if (!(await markStepPending(tx, run.id, step, "invoking"))) break;
        const fnId = String(op.opts?.function_id ?? "");
        const child = ctx.registry.get(fnId);
        if (!child) {
          ctx.log(`run ${run.id}: invoke of unknown function id "${fnId}" dropped; the step fails`, "warn");
          if (!(await memoStep(tx, ctx, run, step, { error: { name: "FunctionNotFound", message: `Function ${fnId} is not registered` } }, defer))) return;
          break;
        }
        // The same op answered twice (a retried call) must not start a second child.
        if (await tx.runnerRun.findFirst({ where: { parentRunId: run.id, parentStepId: op.id }, select: { id: true } })) break;
        const payload = (op.opts?.payload ?? {}) as Record<string, unknown>;
        const event: RunnerEventPayload = {
          ...payload,
          id: newId(),
          name: "inngest/function.invoked",
          data: (payload.data as Record<string, unknown>) ?? {},
          ts: now.getTime(),
        };
        await storeEvents(tx, ctx, [event]);
        const childRunId = await startRun(tx, ctx, {
          fn: child,
          event,
          triggerKind: "invoke",
          dedupeKey: `invoke:${run.id}:${op.id}`,
          parent: { runId: run.id, stepId: op.id },
        });
        if (!childRunId) {
          const error = { name: "InvokeSkipped", message: `Function ${fnId} did not start (singleton or idempotency)` };
          if (!(await memoStep(tx, ctx, run, step, { error }, defer))) return;
          break;
        }
        if (op.opts?.timeout) {
          await tx.runnerJob.createMany({
            data: [
              {
                id: newId(),
                kind: "invoke_timeout",
                runId: run.id,
                target: op.id,
                dueAt: new Date(now.getTime() + parseDurationMs(String(op.opts.timeout))),
              },
            ],
            skipDuplicates: true,
          });
        }
        break;
      }
      case "RunComplete":
        await finishRun(tx, ctx, run, "completed", { output: op.data ?? null });
        return;
      default: {
        const error: SerializedError = {
          name: "UnsupportedOpcode",
          message: `The embedded runner does not implement ${op.op} (step "${step.name}")`,
        };
        ctx.log(`run ${run.id}: ${error.message}`, "warn");
        if (!(await memoStep(tx, ctx, run, step, { error }, defer))) return;
      }
    }
  }
  // A discovery call is only made when nothing of the run is in flight, so if its answer only
  // settled steps, nothing is pending now and the count can be skipped.
  const onlySettled = job.target === "step" && ops.every((op) => ["StepRun", "Step", "StepFailed"].includes(op.op));
  await maybeDiscover(tx, ctx, run.id, run.status, onlySettled);
}
