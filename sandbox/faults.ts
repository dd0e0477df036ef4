// Fault injection knobs. Probabilities are per request and per operation ("*" = every operation);
// report/document faults apply to the next reports created (counted down) or by probability.
import { z } from "zod";
import type { Rng } from "./prng";

const probability = z.number().min(0).max(1);
const perOperation = z.record(z.string(), probability);
const count = z.number().int().min(0);

/**
 * Faults aimed at one report type. Probabilities hit whichever report is created next, which a client
 * requesting several types at once cannot predict; these let a test say which report fails.
 */
const ReportTypeFaultsSchema = z
  .object({
    /** createReport of the type answers 403 Unauthorized, as Amazon does when the account lacks the role the type needs. */
    refuse: z.boolean().optional(),
    /** The next n accepted reports of the type end FATAL / CANCELLED (counted down). */
    fatal: count.optional(),
    cancelled: count.optional(),
    /** The next n accepted reports of the type get a corrupt gzip document / malformed rows (counted down). */
    corruptDocument: count.optional(),
    malformedRows: count.optional(),
  })
  .strict();

export type ReportTypeFaults = z.infer<typeof ReportTypeFaultsSchema>;

export const FaultConfigSchema = z
  .object({
    /** Probability of a 429 QuotaExceeded regardless of the bucket. */
    throttle: perOperation.optional(),
    /** Probability of a 500 InternalFailure. */
    error500: perOperation.optional(),
    /** Probability of a 503 ServiceUnavailable. */
    error503: perOperation.optional(),
    /** Probability of destroying the socket without any response. */
    dropConnection: perOperation.optional(),
    /** Added latency in real milliseconds. */
    latencyMs: z.record(z.string(), z.number().int().min(0).max(60_000)).optional(),
    /** Probability that a created report ends FATAL / CANCELLED instead of DONE. */
    reportFatal: probability.optional(),
    reportCancelled: probability.optional(),
    /** Probability that a created report sits IN_QUEUE for 24 sandbox hours before processing (seen at Amazon). */
    reportStuck: probability.optional(),
    /** Probability that a report document is served as corrupt gzip. */
    corruptDocument: probability.optional(),
    /** Probability that a report document gets malformed rows (wrong column count, bad numbers). */
    malformedRows: probability.optional(),
    /**
     * Per operation: the next n requests that carry a page token (nextToken / NextToken) are answered
     * 400 InvalidInput "Invalid nextToken." although the token is good, as Amazon sometimes does
     * (sp-api.md: intermittent InvalidInput on NextToken, models#2667) (counted down; JSON only).
     */
    refusePageTokens: z.record(z.string(), count).optional(),
    /** Per report type (JSON only, not in the shorthand): refusals and counted report/document faults. */
    reportTypes: z.record(z.string(), ReportTypeFaultsSchema).optional(),
  })
  .strict();

export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export function operationProbability(map: Record<string, number> | undefined, operation: string): number {
  if (!map) return 0;
  return map[operation] ?? map["*"] ?? 0;
}

export function rollFault(rng: Rng, map: Record<string, number> | undefined, operation: string): boolean {
  const p = operationProbability(map, operation);
  return p > 0 && rng.next() < p;
}

/**
 * Takes one of a report type's counted faults: true (and one fewer left, visible in GET
 * /__sandbox/faults) while the count lasts.
 */
export function takeReportTypeFault(config: FaultConfig, reportType: string, knob: "fatal" | "cancelled" | "corruptDocument" | "malformedRows"): boolean {
  const faults = config.reportTypes?.[reportType];
  const left = faults?.[knob] ?? 0;
  if (!faults || left <= 0) return false;
  faults[knob] = left - 1;
  return true;
}

/** Parses a fault spec from env/CLI: JSON, or shorthand `error500=0.1,throttle.getReport=0.5,latencyMs=200`. */
export function parseFaultSpec(spec: string): FaultConfig {
  const trimmed = spec.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith("{")) return FaultConfigSchema.parse(JSON.parse(trimmed));
  const out: Record<string, unknown> = {};
  for (const part of trimmed.split(",")) {
    const [rawKey, rawValue] = part.split("=");
    if (!rawKey || rawValue === undefined) throw new Error(`bad fault entry "${part}"`);
    const [knob, operation] = rawKey.trim().split(".");
    const value = Number(rawValue);
    if (!knob || Number.isNaN(value)) throw new Error(`bad fault entry "${part}"`);
    if (["reportFatal", "reportCancelled", "reportStuck", "corruptDocument", "malformedRows"].includes(knob)) {
      out[knob] = value;
    } else {
      const map = (out[knob] ?? {}) as Record<string, number>;
      map[operation ?? "*"] = value;
      out[knob] = map;
    }
  }
  return FaultConfigSchema.parse(out);
}

/** Takes one of an operation's counted page-token refusals (refusePageTokens): true while the count lasts. */
export function takePageTokenRefusal(config: FaultConfig, operation: string): boolean {
  const left = config.refusePageTokens?.[operation] ?? 0;
  if (left <= 0) return false;
  config.refusePageTokens![operation] = left - 1;
  return true;
}
