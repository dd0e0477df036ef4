// How every logger of the project is built: pino, JSON lines, ISO times, level labels, secrets
// redacted. The app's logger (logger.ts) and the SP-API sandbox (sandbox/log.ts) are made here; the
// embedded runner, which may import no app code, has a copy of the same rules (runner/logger.ts), and
// tests/unit/observability/logger.test.ts holds both to the same samples.
//
// Three layers keep secrets out: `redact` paths (pino's own, for the usual keys up to four levels
// deep), a walk over every logged object that masks the same keys at any depth, and a last pass over
// the finished line that masks what looks like a secret inside any text: LWA tokens (Atza|…, Atzr|…),
// the password of a URL (postgres://user:password@…, smtp://…), a Bearer/Basic credential and
// `password=…`-style pairs. Nothing here reads the environment: callers pass the level.
import os from "node:os";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

export const LOG_LEVEL_NAMES = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

/** A LOG_LEVEL value as a level (any case), or `fallback` when it is unset or not one (for the sandbox, which has no lib/env.ts). */
export function toLogLevel(value: string | undefined, fallback: LogLevelName = "info"): LogLevelName {
  const level = value?.trim().toLowerCase();
  return (LOG_LEVEL_NAMES as readonly string[]).includes(level ?? "") ? (level as LogLevelName) : fallback;
}

export const REDACTED = "[REDACTED]";

/** Keys whose values are secrets wherever they appear (compared without case, `-` and `_`). */
const SECRET_KEYS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-amz-access-token",
  "x-amz-security-token",
  "refresh_token",
  "refreshToken",
  "refreshTokenEncrypted",
  "access_token",
  "accessToken",
  "id_token",
  "client_secret",
  "clientSecret",
  "password",
  "passwordHash",
  "token",
  "secret",
  "apiKey",
  "signingKey",
  "signingKeyFallback",
  "eventKey",
  "AUTH_SECRET",
  "TOKEN_ENCRYPTION_KEYS",
  "METRICS_TOKEN",
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
  "INNGEST_EVENT_KEY",
  "AMAZON_CLIENT_SECRET",
  "S3_SECRET_ACCESS_KEY",
  "secretAccessKey",
  "SMTP_URL",
  "DATABASE_URL",
] as const;

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, "");
const SECRET_KEY_SET = new Set(SECRET_KEYS.map(normalizeKey));
/** Any key ending in one of these is a secret too (currentPassword, newPassword, lwaClientSecret, ...). */
const SECRET_SUFFIXES = ["password", "secret", "accesstoken", "refreshtoken", "sessiontoken", "apikey", "signingkey"];

export function isSecretKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return SECRET_KEY_SET.has(normalized) || SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** pino `redact` paths: each secret key at the top and up to three levels down. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (segment.startsWith("[") ? `${prefix}${segment}` : prefix ? `${prefix}.${segment}` : segment);
  return ["", "*", "*.*", "*.*.*"].map(join);
});

// Text patterns, applied to the finished JSON line. None may swallow a backslash or a quote, so a
// masked line stays valid JSON.
const TEXT_MASKS: Array<[RegExp, string]> = [
  // LWA access and refresh tokens.
  [/Atz[ar]\|[^\s"'&,;\\]+/g, REDACTED],
  // The password part of a URL's user info: postgres://user:password@host, smtp://user:pass@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"\\]*:)[^\s@/"\\]+@/gi, `$1${REDACTED}@`],
  // HTTP credentials written out: "Bearer abc...", "Basic dXNlcjpw...".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  // key=value pairs (query strings, connection strings, error texts) naming a secret.
  [
    /\b(password|passwd|pwd|secret|client_secret|refresh_token|access_token|token|api_key|apikey|spapi_oauth_code|mws_auth_token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^\s&"'\\,;]+/gi,
    `$1=${REDACTED}`,
  ],
  // Inngest signing keys (signkey-<env>-<hex>), should one be quoted in an error.
  [/\bsignkey-[a-z]+-[0-9a-f]+/gi, REDACTED],
];

/** `text` with every LWA token, URL password, HTTP credential and secret pair masked. */
export function maskSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_MASKS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 10;

/**
 * A copy of `value` with the value of every secret key masked, at any depth (arrays included); the
 * input is never changed, and is returned as it is when it holds no secret key.
 */
export function redactSecretKeys<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  // Errors go through their serializer (message, stack); class instances keep their own toJSON.
  if (value instanceof Error || value instanceof Date || ArrayBuffer.isView(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = walk(item, depth + 1, seen);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1, seen);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

const METADATA = Symbol.for("pino.metadata");

/**
 * Under Vitest, lines go through `console` (info and below to console.log, warn to console.warn,
 * error and fatal to console.error): the test runner then shows each line with the test that wrote
 * it, and a test can read what was logged where it already reads the console.
 */
export function consoleDestination(): DestinationStream {
  const sink = {
    [METADATA]: true,
    lastLevel: 30,
    write(line: string) {
      const text = line.endsWith("\n") ? line.slice(0, -1) : line;
      if (sink.lastLevel >= 50) console.error(text);
      else if (sink.lastLevel >= 40) console.warn(text);
      else console.log(text);
    },
  };
  return sink;
}

/** Standard output, written synchronously (nothing is lost when the process exits right after). */
export function stdoutDestination(): DestinationStream {
  // VITEST is the test runner's marker, not configuration.
  return process.env.VITEST ? consoleDestination() : pino.destination({ dest: 1, sync: true });
}

export interface CreateLoggerOptions {
  level: LogLevelName;
  /** Which part of the product writes the lines: `app`, `sandbox`, ... (the `service` field). */
  service: string;
  /** Where the JSON lines go; standard output by default. Tests pass a stream of their own. */
  destination?: DestinationStream;
  /** Fields added to every line at the time it is written (the app's request and sync context). */
  mixin?: () => object;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: os.hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: "msg",
    errorKey: "err",
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactSecretKeys(bindings),
      log: (object) => redactSecretKeys(object),
    },
    hooks: { streamWrite: maskSecretText },
    ...(options.mixin ? { mixin: options.mixin } : {}),
  };
  return pino(config, options.destination ?? stdoutDestination());
}
