// The app's one logger: JSON lines on stdout at LOG_LEVEL, secrets redacted (create-logger.ts), and
// the current request and sync context (log-context.ts) on every line. `npm run dev` shows the lines
// in a readable form (scripts/dev.ts); production log collectors read the JSON.
//
//   import { log } from "@/lib/observability/logger";
//   log.warn({ sellerConnectionId }, "could not send amazon/connected");
//   log.error({ err }, "unhandled error");            // err: the error's class, message and stack
import type { DestinationStream } from "pino";
import { logLevel } from "../env";
import { createLogger, type Logger, type LogLevelName } from "./create-logger";
import { currentLogContext } from "./log-context";

export { withLogContext, currentLogContext, type LogContext } from "./log-context";
export type { Logger } from "./create-logger";

export interface AppLoggerOptions {
  level?: LogLevelName;
  destination?: DestinationStream;
  service?: string;
}

/** A logger with the app's rules; `log` below is the one the app uses. Tests pass a destination (and a level). */
export function createAppLogger(options: AppLoggerOptions = {}): Logger {
  return createLogger({
    level: options.level ?? logLevel(),
    service: options.service ?? "app",
    destination: options.destination,
    mixin: currentLogContext,
  });
}

// One logger per process, even when a bundler loads this module more than once (Next.js routes).
const LOGGER = Symbol.for("fba-recovery.logger");
const holder = globalThis as unknown as { [LOGGER]?: Logger };

/** The app's logger. */
export const log: Logger = (holder[LOGGER] ??= createAppLogger());

/** A logger whose lines all carry `bindings` (e.g. `{ component: "mail" }`), on top of the request and sync context. */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return log.child(bindings);
}
