// What every part of the engine shares: the database, the resolved options, the function registry,
// and a way to wake the worker when new work is due.
import type { PrismaClient, RunnerRun } from "../../lib/generated/prisma/client";
import type { ResolvedOptions, RunnerLog } from "../config";
import type { Registry } from "./registry";

import type { Tx } from "./db";

export type { Tx } from "./db";

export interface EngineContext {
  db: PrismaClient;
  options: ResolvedOptions;
  registry: Registry;
  /** Tell the worker that work may be due now. */
  wake(): void;
  log: RunnerLog;
}

export type StepResult = { data: unknown } | { error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

export const ACTIVE_RUN_STATUSES = ["queued", "running"] as const;
export const SETTLED_STEP_STATUSES = ["completed", "failed"] as const;

export function toSerializedError(value: unknown, fallbackName = "Error"): SerializedError {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    return {
      ...v,
      name: typeof v.name === "string" ? v.name : fallbackName,
      message: typeof v.message === "string" ? v.message : JSON.stringify(value).slice(0, 2000),
    };
  }
  return { name: fallbackName, message: typeof value === "string" ? value : String(value) };
}

type RunRow = {
  id: string;
  function_id: string;
  status: string;
  event_id: string;
  event: unknown;
  trigger_kind: string;
  dedupe_key: string;
  idempotency_key: string | null;
  singleton_key: string | null;
  concurrency: unknown;
  version: number;
  disable_immediate: boolean;
  step_count: number;
  state_bytes: number;
  attempts: number;
  output: unknown;
  error: unknown;
  parent_run_id: string | null;
  parent_step_id: string | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
};

/** Locks a run row for the rest of the transaction, so only one result is applied to it at a time. */
export async function lockRun(tx: Tx, runId: string): Promise<RunnerRun | null> {
  const rows = await tx.$queryRaw<RunRow[]>`SELECT * FROM runner_run WHERE id = ${runId} FOR UPDATE`;
  return rows[0] ? toRun(rows[0]) : null;
}

/** Reads a run without locking it (raw: this is on every call's path). */
export async function readRun(db: Tx | PrismaClient, runId: string): Promise<RunnerRun | null> {
  const rows = await db.$queryRaw<RunRow[]>`SELECT * FROM runner_run WHERE id = ${runId}`;
  return rows[0] ? toRun(rows[0]) : null;
}

function toRun(r: RunRow): RunnerRun {
  return {
    id: r.id,
    functionId: r.function_id,
    status: r.status,
    eventId: r.event_id,
    event: r.event as RunnerRun["event"],
    triggerKind: r.trigger_kind,
    dedupeKey: r.dedupe_key,
    idempotencyKey: r.idempotency_key,
    singletonKey: r.singleton_key,
    concurrency: r.concurrency as RunnerRun["concurrency"],
    version: r.version,
    disableImmediate: r.disable_immediate,
    stepCount: r.step_count,
    stateBytes: r.state_bytes,
    attempts: r.attempts,
    output: r.output as RunnerRun["output"],
    error: r.error as RunnerRun["error"],
    parentRunId: r.parent_run_id,
    parentStepId: r.parent_step_id,
    createdAt: new Date(r.created_at),
    startedAt: r.started_at ? new Date(r.started_at) : null,
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
  };
}

export function byteLength(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}
