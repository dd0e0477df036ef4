// The one place environment variables are read. Every variable is declared once here with zod;
// a wrong or missing required one stops start-up with a message naming it. Local runs get
// embedded defaults (generated secrets in .data/, the SP-API sandbox, the embedded Inngest runner).
import path from "node:path";
import { z } from "zod";
import { loadOrCreateLocalSecrets } from "./local-secrets";
import { parseTrustedProxies } from "./http/client-address";
import { cronPeriodMs } from "./sync/schedule";

const booleanish = z
  .enum(["1", "0", "true", "false"])
  .transform((value) => value === "1" || value === "true");

/** Log levels, most verbose first; `silent` logs nothing (LOG_LEVEL). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const logLevelSchema = z.preprocess((value) => (typeof value === "string" ? value.trim().toLowerCase() : value), z.enum(LOG_LEVELS)).default("info");

/**
 * LOG_LEVEL alone, for the logger, which must work before (and when) the rest of the environment is
 * checked: an invalid value falls back to `info` here, and env() reports it at start-up.
 */
export function logLevel(source: Record<string, string | undefined> = process.env): LogLevel {
  const parsed = logLevelSchema.safeParse(source.LOG_LEVEL || undefined);
  return parsed.success ? parsed.data : "info";
}

/** A listen address: an IP or a host name (HOST; read by the dev launcher, scripts/dev.ts). */
export const listenHostSchema = z
  .string()
  .regex(/^[A-Za-z0-9.:-]{1,253}$/, "must be an IP address or a host name")
  .default("127.0.0.1");

/** The incremental sync's schedule (also read on its own: see syncSchedule()). */
const syncScheduleFields = {
  SYNC_CRON: z
    .string()
    .default("0 */6 * * *")
    .refine((value) => {
      try {
        return cronPeriodMs(value) > 0;
      } catch {
        return false;
      }
    }, "must be a cron expression, e.g. 0 */6 * * *"),
  ENABLE_BACKGROUND_SYNC: booleanish.default(true),
};

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** PostgreSQL URL. Unset in development: `npm run dev` starts the embedded database and sets it. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Local state: the embedded database files, sandbox data, generated local secrets. */
    DATA_DIR: z.string().min(1).default(".data"),
    /** Port of the embedded PostgreSQL started by `npm run dev` (so psql can connect to a fixed port). */
    EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    /** Address `npm run dev` (and the e2e server) binds Next.js to; 0.0.0.0 opens it to the network. */
    HOST: listenHostSchema,
    /** Public URL of the app (sign-in callbacks, the Amazon redirect URI default). */
    APP_URL: z.url().default("http://localhost:3000"),
    /** Signs session cookies. Generated into .data/ for local runs; required in production. */
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Token-cipher keyring: comma-separated `keyId:base64(32 bytes)`, the first encrypts. */
    TOKEN_ENCRYPTION_KEYS: z.string().optional(),

    /**
     * Emails allowed on the operator pages (runs of the embedded runner, every tenant's), comma-separated.
     * Unset: nobody, in every environment (lib/auth/current-user.ts isOperator).
     */
    OPERATOR_EMAILS: z
      .string()
      .transform((value) => value.split(",").map((email) => email.trim().toLowerCase()).filter(Boolean))
      .optional(),

    AMAZON_REGION: z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), z.enum(["NA", "EU", "FE"])).default("NA"),
    AMAZON_APP_ID: z.string().min(1).optional(),
    AMAZON_CLIENT_ID: z.string().min(1).optional(),
    AMAZON_CLIENT_SECRET: z.string().min(1).optional(),
    AMAZON_SPAPI_ENDPOINT: z.url().optional(),
    AMAZON_LWA_ENDPOINT: z.url().optional(),
    AMAZON_CONSENT_URL: z.url().optional(),
    AMAZON_REDIRECT_URI: z.url().optional(),
    /** Draft (unpublished) apps must add version=beta to the consent URL. */
    AMAZON_APP_IS_DRAFT: booleanish.default(false),
    /**
     * A self-authorized app (seeds 002 and 004): the seller's own refresh token instead of the OAuth
     * flow. With AMAZON_SELLER_ID and AMAZON_SPAPI_USER_EMAIL (the app account it belongs to), the app
     * creates or updates that connection at start, encrypted like any other, and syncs it.
     */
    AMAZON_SPAPI_REFRESH_TOKEN: z.string().min(1).optional(),
    AMAZON_SELLER_ID: z.string().regex(/^[A-Z0-9]{5,32}$/, "must be the seller (selling partner) id, e.g. A1B2C3D4E5F6G7").optional(),
    AMAZON_SPAPI_USER_EMAIL: z.email().optional(),
    /**
     * For a time-scaled SP-API sandbox only (`--time-scale`): Amazon seconds per real second, applied to
     * the usage plans, report polling and cooldown waits. 1 (the default) against real Amazon.
     */
    AMAZON_TIME_SCALE: z.coerce.number().positive().max(100_000).default(1),
    /**
     * For a sandbox whose clock does not read today (`--start-time`): `<amazon ISO>@<real ISO>`, the
     * Amazon time at a real instant; with AMAZON_TIME_SCALE it gives Amazon's clock. Unset: the system clock.
     */
    AMAZON_TIME_ANCHOR: z
      .string()
      .regex(/^[^@]+@[^@]+$/, "must be <amazon ISO date-time>@<real ISO date-time>")
      .refine((value) => value.split("@").every((part) => Number.isFinite(Date.parse(part))), "both sides must be ISO date-times")
      .optional(),

    /** How far back a historical sync reaches, in days (Amazon keeps about 18 months of most reports). */
    SYNC_HISTORY_DAYS: z.coerce.number().int().min(1).max(730).default(548),
    /** When the incremental sync of every connected seller runs (cron, Inngest's syntax; `TZ=<zone> ` prefix allowed). Every 6 hours by default. */
    SYNC_CRON: syncScheduleFields.SYNC_CRON,
    /** `false` turns the incremental cron off (syncs then run only when a seller or an operator starts one). */
    ENABLE_BACKGROUND_SYNC: syncScheduleFields.ENABLE_BACKGROUND_SYNC,
    /** Longest one sync step works before handing over to the next (serverless hosts give a request a few minutes). */
    SYNC_STEP_BUDGET_SECONDS: z.coerce.number().int().min(5).max(900).default(120),
    /**
     * Ledger ingest fast path: `COPY` into a staging table (real PostgreSQL). `auto` (default) uses it
     * unless the server is the embedded database, whose wire front does not carry COPY; `off` never.
     */
    LEDGER_COPY: z.enum(["auto", "on", "off"]).default("auto"),
    /**
     * PostgreSQL's JIT compiler on the app's connections. `off` (default): each connection starts with
     * `-c jit=off` (a startup option): compiling a detection query's many expressions cost seconds per
     * query on PostgreSQL 15; `server` leaves the server's own setting. Read by lib/db.ts.
     */
    DATABASE_JIT: z.enum(["off", "server"]).default("off"),

    /**
     * Proxies whose X-Forwarded-For entries are believed when working out a client's address (sign-in
     * throttle, rate limits): a hop count (`1`: one proxy in front) or comma-separated IPs, CIDRs,
     * `loopback`, `private`. Unset: none; the connection's peer address is the client.
     */
    TRUSTED_PROXIES: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        try {
          parseTrustedProxies(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    /** API requests allowed per user and per client address in each window; 0 turns the limit off. */
    API_RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(100),
    API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    /** Sign-up attempts (valid requests) allowed per client address in each window; 0 turns it off. */
    SIGNUP_RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(10),
    SIGNUP_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),

    /**
     * Outgoing mail (password-reset links): `smtp://user:pass@host:587` (STARTTLS when offered) or
     * `smtps://...:465`. Unset: messages are kept in the outbox table instead (shown at /dev/outbox).
     */
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
    /** Sender of outgoing mail, e.g. `FBA Recovery <no-reply@example.com>`; defaults to no-reply at APP_URL's host. */
    MAIL_FROM: z.string().min(3).max(320).optional(),

    /** How much the app logs (JSON lines on stdout): trace, debug, info (default), warn, error, fatal or silent. */
    LOG_LEVEL: logLevelSchema,
    /**
     * Bearer token for scraping GET /api/metrics without an operator session (Prometheus'
     * `authorization` setting). Unset: only signed-in operators see the metrics.
     */
    METRICS_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),

    /**
     * Where the seller's claim documents (invoices, proof of delivery) are kept: `local` (default) on
     * disk in DOCUMENTS_DIR, or `s3` in the S3-compatible bucket S3_BUCKET (lib/documents/store.ts).
     */
    DOCUMENTS_STORE: z.enum(["local", "s3"]).default("local"),
    /** The folder of the local document store; default `documents` under DATA_DIR. */
    DOCUMENTS_DIR: z.string().min(1).optional(),
    /** Largest document a seller may upload, in bytes (10 MB by default). */
    DOCUMENTS_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    /** The bucket of the `s3` document store, and its endpoint for S3-compatible services (MinIO, R2); unset: AWS. */
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    /** Unset: the AWS SDK's own credential chain (instance role, AWS_* variables). */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),

    INNGEST_DEV: z.string().optional(),
    INNGEST_BASE_URL: z.url().optional(),
    INNGEST_EVENT_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // The self-authorized connection needs its three parts together.
    const selfAuthorized = ["AMAZON_SPAPI_REFRESH_TOKEN", "AMAZON_SELLER_ID", "AMAZON_SPAPI_USER_EMAIL"] as const;
    const given = selfAuthorized.filter((name) => env[name]);
    if (given.length > 0 && given.length < selfAuthorized.length) {
      for (const name of selfAuthorized.filter((n) => !env[n])) {
        ctx.addIssue({ code: "custom", path: [name], message: `is required with ${given.join(" and ")} (a self-authorized connection)` });
      }
    }
    if (env.DOCUMENTS_STORE === "s3" && !env.S3_BUCKET) {
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required with DOCUMENTS_STORE=s3" });
    }
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({ code: "custom", path: [env.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together" });
    }
    if (env.NODE_ENV !== "production") return;
    const requireVar = (name: keyof typeof env, why: string) => {
      if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `is required in production (${why})` });
    };
    requireVar("DATABASE_URL", "the embedded database is for local runs only");
    requireVar("AUTH_SECRET", "sessions must survive restarts and be shared by every instance");
    requireVar("TOKEN_ENCRYPTION_KEYS", "refresh tokens are stored encrypted");
    if (isInngestDevMode(env.INNGEST_DEV)) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_DEV"],
        message: "must not be set in production: it turns off request signature checks",
      });
    } else {
      requireVar("INNGEST_SIGNING_KEY", "Inngest cloud mode verifies every call");
      requireVar("INNGEST_EVENT_KEY", "Inngest cloud mode needs it to send events");
    }
  });

/** Whether an INNGEST_DEV value turns the SDK's dev mode on ("0" and "false" do not), as the SDK reads it. */
export function isInngestDevMode(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; TOKEN_ENCRYPTION_KEYS: string };

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    super(
      "Invalid environment configuration:\n" +
        issues.map((issue) => `  - ${issue.path.join(".") || "(root)"}: ${issue.message}`).join("\n"),
    );
    this.name = "EnvError";
  }
}

/** Parses an environment (process.env by default); exported for tests. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) throw new EnvError(result.error.issues);
  const env = result.data;
  if (env.AUTH_SECRET && env.TOKEN_ENCRYPTION_KEYS) return env as Env;
  const local = loadOrCreateLocalSecrets(resolveDataDir(env.DATA_DIR));
  return {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? local.authSecret,
    TOKEN_ENCRYPTION_KEYS: env.TOKEN_ENCRYPTION_KEYS ?? local.tokenEncryptionKeys,
  };
}

function resolveDataDir(value: string): string {
  return path.resolve(/*turbopackIgnore: true*/ value);
}

/** The absolute folder of local state (DATA_DIR). */
export function dataDir(): string {
  return resolveDataDir(env().DATA_DIR);
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/**
 * Just the sync schedule, for code that runs when modules load (the cron function's trigger and the
 * list of served functions): `next build` loads them without the production secrets, which env()
 * would rightly refuse. The full check still runs at server start.
 */
export function syncSchedule(source: Record<string, string | undefined> = process.env): { SYNC_CRON: string; ENABLE_BACKGROUND_SYNC: boolean } {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = z.object(syncScheduleFields).safeParse(cleaned);
  if (!result.success) throw new EnvError(result.error.issues);
  return result.data;
}
