// The function configs an app sends at sync (/fn/register), validated and reduced to what the
// runner acts on. Every Inngest flow-control field the runner does not implement is refused with
// a message naming it, so a function never runs here with a setting silently ignored.
import { z } from "zod";
import { parseDurationMs } from "./durations";

const durationSchema = z.union([z.string(), z.number()]);

const triggerSchema = z.union([
  z.object({ event: z.string().min(1), expression: z.string().optional() }).strict(),
  z.object({ cron: z.string().min(1) }).strict(),
]);

const concurrencyItem = z.union([
  z.number().int().positive(),
  z.object({
    limit: z.number().int().min(0),
    key: z.string().optional(),
    scope: z.enum(["fn", "env", "account"]).optional(),
  }),
]);

export const functionConfigSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    triggers: z.array(triggerSchema).default([]),
    steps: z.object({
      step: z.object({
        runtime: z.object({ type: z.string(), url: z.url() }),
        retries: z.object({ attempts: z.number().int().min(0).max(20) }).optional().nullable(),
      }).loose(),
    }),
    concurrency: z.union([concurrencyItem, z.array(concurrencyItem).max(2)]).optional().nullable(),
    cancel: z
      .array(z.object({ event: z.string().min(1), if: z.string().optional(), timeout: durationSchema.optional() }))
      .optional()
      .nullable(),
    singleton: z.object({ key: z.string().optional(), mode: z.enum(["skip", "cancel"]) }).optional().nullable(),
    idempotency: z.string().optional().nullable(),
    timeouts: z.object({ start: durationSchema.optional(), finish: durationSchema.optional() }).optional().nullable(),
  })
  .loose();

/** Fields Inngest supports that this runner does not: a function using one is refused at sync. */
export const UNSUPPORTED_FIELDS = ["batchEvents", "debounce", "rateLimit", "throttle", "priority"] as const;

export interface ConcurrencyRule {
  limit: number;
  key?: string;
  scope: "fn" | "env" | "account";
}

export interface FunctionDefinition {
  id: string;
  name: string;
  url: string;
  /** Retries after the first attempt; Inngest's default is 3 (4 attempts). */
  retries: number;
  eventTriggers: { event: string; expression?: string }[];
  cronTriggers: string[];
  concurrency: ConcurrencyRule[];
  cancel: { event: string; if?: string; timeoutMs?: number }[];
  singleton?: { key?: string; mode: "skip" | "cancel" };
  idempotency?: string;
  startTimeoutMs?: number;
  finishTimeoutMs?: number;
  config: Record<string, unknown>;
}

export const DEFAULT_RETRIES = 3;

export class SyncRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncRefusedError";
  }
}

function durationMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === "number" ? value : parseDurationMs(value);
}

/** Validates one function config; throws SyncRefusedError saying which function and field is wrong. */
export function toFunctionDefinition(raw: unknown): FunctionDefinition {
  const id = typeof raw === "object" && raw && "id" in raw ? String((raw as { id: unknown }).id) : "(no id)";
  for (const field of UNSUPPORTED_FIELDS) {
    const value = (raw as Record<string, unknown> | null)?.[field];
    if (value !== undefined && value !== null) {
      throw new SyncRefusedError(
        `Function ${id} uses "${field}", which the embedded runner does not implement. ` +
          `Remove it or run against the Inngest Dev Server / Inngest Cloud.`,
      );
    }
  }
  const parsed = functionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncRefusedError(
      `Function ${id} has a config the embedded runner cannot run: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    );
  }
  const config = parsed.data;
  const concurrencyList =
    config.concurrency === undefined || config.concurrency === null
      ? []
      : Array.isArray(config.concurrency)
        ? config.concurrency
        : [config.concurrency];
  try {
    return {
      id: config.id,
      name: config.name ?? config.id,
      url: config.steps.step.runtime.url,
      retries: config.steps.step.retries?.attempts ?? DEFAULT_RETRIES,
      eventTriggers: config.triggers.flatMap((t) => ("event" in t ? [{ event: t.event, expression: t.expression }] : [])),
      cronTriggers: config.triggers.flatMap((t) => ("cron" in t ? [t.cron] : [])),
      concurrency: concurrencyList
        .map((c) => (typeof c === "number" ? { limit: c, scope: "fn" as const } : { limit: c.limit, key: c.key, scope: c.scope ?? "fn" }))
        // Inngest reads a limit of 0 as "no limit beyond the account's".
        .filter((c) => c.limit > 0),
      cancel: (config.cancel ?? []).map((c) => ({ event: c.event, if: c.if, timeoutMs: durationMs(c.timeout) })),
      singleton: config.singleton ?? undefined,
      idempotency: config.idempotency ?? undefined,
      startTimeoutMs: durationMs(config.timeouts?.start),
      finishTimeoutMs: durationMs(config.timeouts?.finish),
      config: raw as Record<string, unknown>,
    };
  } catch (error) {
    throw new SyncRefusedError(`Function ${id}: ${(error as Error).message}`);
  }
}
