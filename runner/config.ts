// Runner options, their defaults (Inngest's own numbers) and how the CLI reads them from env.
import { createRunnerLogger, parseRunnerLogLevel, type RunnerLogLevel } from "./logger";

/** One line of the runner's log, at a level (info unless said). */
export type RunnerLog = (line: string, level?: "debug" | "info" | "warn" | "error") => void;

export interface RunnerOptions {
  /** PostgreSQL URL holding the runner_* tables. */
  databaseUrl: string;
  /** Port to listen on; 0 picks a free one. Default 8288, the Inngest Dev Server's port. */
  port?: number;
  host?: string;
  /** The app's serve() endpoint, synced (PUT) on start. Omit to wait for apps to register themselves. */
  appUrl?: string;
  /** Cloud mode: sign calls to the app and require the SDK's bearer on register. */
  signingKey?: string;
  signingKeyFallback?: string;
  /** Cloud mode: when set, POST /e/<key> must use this key. */
  eventKey?: string;
  /** Delay before retry n (0-based); the last entry repeats. Inngest: 15s, 30s, 1m ... 2h. */
  backoffMs?: number[];
  /** Random extra delay added to every backoff, 0..jitterMs. Inngest: up to 30s. */
  jitterMs?: number;
  /** How long a claimed job stays ours before another worker may take it. */
  leaseMs?: number;
  /** Longest a worker idles before looking at the queue again. */
  pollMs?: number;
  /** Calls to the app in flight at once. */
  maxInflight?: number;
  /** Timeout of one HTTP call to the app. */
  callTimeoutMs?: number;
  /** Re-sync the app this often (ms); 0 turns it off. */
  resyncMs?: number;
  /** Finished runs and old events are deleted after this many days (0 keeps everything). */
  retentionDays?: number;
  /**
   * Database connections. Default 1: the embedded PGlite socket server interleaves the
   * extended-protocol messages of concurrent connections (one PGlite session), so one connection
   * is the safe choice there; raise it against a real PostgreSQL server.
   */
  dbConnections?: number;
  limits?: Partial<RunnerLimits>;
  /** Where log lines go. Default: JSON lines on stdout (runner/logger.ts) at `logLevel`. */
  log?: RunnerLog;
  /** Level of the default log (LOG_LEVEL): trace, debug, info (default), warn, error, fatal, silent. */
  logLevel?: RunnerLogLevel;
}

export interface RunnerLimits {
  maxSteps: number;
  maxStepOutputBytes: number;
  maxRunStateBytes: number;
  maxEventBytes: number;
}

/** Inngest Cloud's documented limits, enforced so a function that fits here fits there. */
export const INNGEST_LIMITS: RunnerLimits = {
  maxSteps: 1000,
  maxStepOutputBytes: 4 * 1024 * 1024,
  maxRunStateBytes: 32 * 1024 * 1024,
  maxEventBytes: 256 * 1024,
};

export const INNGEST_BACKOFF_MS = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200].map((s) => s * 1000);

export type ResolvedOptions = Required<Omit<RunnerOptions, "appUrl" | "signingKey" | "signingKeyFallback" | "eventKey" | "limits">> &
  Pick<RunnerOptions, "appUrl" | "signingKey" | "signingKeyFallback" | "eventKey"> & { limits: RunnerLimits };

export function resolveOptions(options: RunnerOptions): ResolvedOptions {
  return {
    databaseUrl: options.databaseUrl,
    port: options.port ?? 8288,
    host: options.host ?? "127.0.0.1",
    appUrl: options.appUrl,
    signingKey: options.signingKey || undefined,
    signingKeyFallback: options.signingKeyFallback || undefined,
    eventKey: options.eventKey || undefined,
    backoffMs: options.backoffMs?.length ? options.backoffMs : INNGEST_BACKOFF_MS,
    jitterMs: options.jitterMs ?? 30_000,
    leaseMs: options.leaseMs ?? 30_000,
    pollMs: options.pollMs ?? 1_000,
    maxInflight: options.maxInflight ?? 32,
    callTimeoutMs: options.callTimeoutMs ?? 5 * 60_000,
    resyncMs: options.resyncMs ?? 0,
    dbConnections: options.dbConnections ?? 1,
    retentionDays: options.retentionDays ?? 7,
    limits: { ...INNGEST_LIMITS, ...options.limits },
    logLevel: options.logLevel ?? "info",
    // JSON lines (service "runner"); the dev launcher shows them readably, prefixed with [runner].
    log: options.log ?? defaultLog(options.logLevel ?? "info"),
  };
}

function defaultLog(level: RunnerLogLevel): RunnerLog {
  const logger = createRunnerLogger({ level });
  return (line, lineLevel = "info") => logger[lineLevel](line);
}

/** Backoff before attempt `attempt` (1 = first retry), with jitter. */
export function backoffDelayMs(options: Pick<ResolvedOptions, "backoffMs" | "jitterMs">, attempt: number): number {
  const table = options.backoffMs;
  const base = table[Math.min(Math.max(attempt - 1, 0), table.length - 1)] ?? 0;
  return base + Math.floor(Math.random() * (options.jitterMs + 1));
}

/** Options from the CLI flags and env (RUNNER_*, DATABASE_URL, INNGEST_SIGNING_KEY, ...). */
export function optionsFromArgs(argv: string[], env: Record<string, string | undefined>): RunnerOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) continue;
    const [name, inline] = arg.slice(2).split("=", 2);
    const value = inline ?? (argv[i + 1] && !argv[i + 1]?.startsWith("--") ? argv[++i] : "true");
    flags.set(name ?? "", value ?? "");
  }
  const pick = (flag: string, envName: string) => flags.get(flag) ?? env[envName];
  const num = (value: string | undefined) => (value === undefined || value === "" ? undefined : Number(value));
  const databaseUrl = pick("database-url", "DATABASE_URL");
  if (!databaseUrl) throw new Error("The runner needs DATABASE_URL (or --database-url): it keeps runs in PostgreSQL.");
  const backoff = pick("backoff-ms", "RUNNER_BACKOFF_MS");
  return {
    databaseUrl,
    port: num(pick("port", "RUNNER_PORT")) ?? 8288,
    host: pick("host", "RUNNER_HOST"),
    appUrl: pick("app-url", "RUNNER_APP_URL") ?? "http://localhost:3000/api/inngest",
    signingKey: pick("signing-key", "INNGEST_SIGNING_KEY"),
    signingKeyFallback: pick("signing-key-fallback", "INNGEST_SIGNING_KEY_FALLBACK"),
    eventKey: pick("event-key", "INNGEST_EVENT_KEY"),
    backoffMs: backoff ? backoff.split(",").map(Number) : undefined,
    jitterMs: num(pick("jitter-ms", "RUNNER_JITTER_MS")),
    resyncMs: num(pick("resync-ms", "RUNNER_RESYNC_MS")) ?? 30_000,
    maxInflight: num(pick("max-inflight", "RUNNER_MAX_INFLIGHT")),
    dbConnections: num(pick("db-connections", "RUNNER_DB_CONNECTIONS")),
    retentionDays: num(pick("retention-days", "RUNNER_RETENTION_DAYS")),
    logLevel: parseRunnerLogLevel(pick("log-level", "LOG_LEVEL")),
    ...(pick("log", "RUNNER_LOG") === "quiet" ? { log: () => undefined } : {}),
  };
}
