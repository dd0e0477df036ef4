// What a log line is about, carried with the work rather than passed down: the route wrappers bind
// the request id (and the seller connection a route is about), sync code binds the sync run. Every
// line the app logger writes inside withLogContext() carries the fields (pino `mixin`).
import { AsyncLocalStorage } from "node:async_hooks";

export interface LogContext {
  requestId?: string;
  sellerConnectionId?: string;
  syncRunId?: string;
}

// One store per process, even when a bundler loads this module more than once (Next.js routes).
const STORE = Symbol.for("fba-recovery.log-context");
const holder = globalThis as unknown as { [STORE]?: AsyncLocalStorage<LogContext> };
const storage: AsyncLocalStorage<LogContext> = (holder[STORE] ??= new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `context` added to the current one (its fields win; undefined ones are ignored). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const merged: LogContext = { ...storage.getStore() };
  for (const [key, value] of Object.entries(context) as [keyof LogContext, string | undefined][]) {
    if (value !== undefined && value !== null) merged[key] = value;
  }
  return storage.run(merged, fn);
}

/** The context of the work running now (empty outside withLogContext). */
export function currentLogContext(): LogContext {
  return { ...storage.getStore() };
}

/** Runs `fn` outside any context: process-wide background work a request happens to start (the SSE hub). */
export function withoutLogContext<T>(fn: () => T): T {
  return storage.exit(fn);
}
