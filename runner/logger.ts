// The runner's logger: JSON lines on stdout, the same shape and redaction rules as the app's
// (lib/observability/create-logger.ts), `service: "runner"`. A copy rather than an import, because
// the runner imports no app code (.dependency-cruiser.cjs); tests/unit/observability/logger.test.ts
// runs the same secrets through both, so the copies cannot drift apart unnoticed.
//
// What the runner could leak: the signing and event keys it holds, the bearer of the SDK's calls, and
// whatever an app's step error or event payload quotes (LWA tokens, database URLs with a password).
import os from "node:os";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export const RUNNER_LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type RunnerLogLevel = (typeof RUNNER_LOG_LEVELS)[number];

/** LOG_LEVEL (any case) as a level; unset is `info`, anything else an error naming the choices. */
export function parseRunnerLogLevel(value: string | undefined): RunnerLogLevel {
  const level = (value ?? "").trim().toLowerCase() || "info";
  if (!(RUNNER_LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${RUNNER_LOG_LEVELS.join(", ")}`);
  }
  return level as RunnerLogLevel;
}

const REDACTED = "[REDACTED]";

const SECRET_KEYS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-amz-access-token",
  "refresh_token",
  "refreshToken",
  "access_token",
  "accessToken",
  "client_secret",
  "clientSecret",
  "password",
  "token",
  "secret",
  "signingKey",
  "signingKeyFallback",
  "eventKey",
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
  "INNGEST_EVENT_KEY",
  "DATABASE_URL",
];

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, "");
const SECRET_KEY_SET = new Set(SECRET_KEYS.map(normalizeKey));
const SECRET_SUFFIXES = ["password", "secret", "accesstoken", "refreshtoken", "sessiontoken", "apikey", "signingkey"];
const isSecretKey = (key: string) => SECRET_KEY_SET.has(normalizeKey(key)) || SECRET_SUFFIXES.some((suffix) => normalizeKey(key).endsWith(suffix));

/** The same walk as the app's: secret keys masked at any depth, a copy only where something changed. */
function redactSecretKeys(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object" || depth > 10 || seen.has(value)) return value;
  if (value instanceof Error || value instanceof Date || ArrayBuffer.isView(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = redactSecretKeys(item, depth + 1, seen);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactSecretKeys(item, depth + 1, seen);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  return ["", "*", "*.*", "*.*.*"].map((prefix) => (segment.startsWith("[") ? `${prefix}${segment}` : prefix ? `${prefix}.${segment}` : segment));
});

// The same text masks as the app's, applied to the finished line; none swallows a quote or a backslash.
const TEXT_MASKS: Array<[RegExp, string]> = [
  [/Atz[ar]\|[^\s"'&,;\\]+/g, REDACTED],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"\\]*:)[^\s@/"\\]+@/gi, `$1${REDACTED}@`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  [
    /\b(password|passwd|pwd|secret|client_secret|refresh_token|access_token|token|api_key|apikey|spapi_oauth_code|mws_auth_token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^\s&"'\\,;]+/gi,
    `$1=${REDACTED}`,
  ],
  // Inngest signing keys (signkey-<env>-<hex>), should one be quoted in an error.
  [/\bsignkey-[a-z]+-[0-9a-f]+/gi, REDACTED],
];

export function maskRunnerText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_MASKS) out = out.replace(pattern, replacement);
  return out;
}

const METADATA = Symbol.for("pino.metadata");

/** Under Vitest, lines go through console (as the app's logger does), so the test runner shows them with their test. */
function defaultDestination(): DestinationStream {
  if (!process.env.VITEST) return pino.destination({ dest: 1, sync: true });
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

export function createRunnerLogger(options: { level?: RunnerLogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "runner", pid: process.pid, hostname: os.hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: "msg",
      errorKey: "err",
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecretKeys(bindings) as Record<string, unknown>,
        log: (object) => redactSecretKeys(object) as Record<string, unknown>,
      },
      hooks: { streamWrite: maskRunnerText },
    },
    options.destination ?? defaultDestination(),
  );
}
