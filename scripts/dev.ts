// `npm run dev`: the whole product on embedded defaults; Ctrl-C stops every part. A part that crashes
// is restarted with backoff (see stack.ts); the launcher stops when one keeps crashing.
//
// Logs: every part writes JSON lines (the app, the runner and the sandbox at LOG_LEVEL). In a terminal
// the launcher shows them readably (pino-pretty, in this process: nothing is fetched or spawned for
// it), each line's message prefixed with its part; piped elsewhere it passes the JSON lines through
// unchanged. Its own lines and a part's plain output (Next's compile messages) go through its own
// logger (service "launcher"), shown at LOG_LEVEL but never hidden below info (unless `silent`).
import { existsSync } from "node:fs";
import { prettyFactory } from "pino-pretty";
import { listenHostSchema, logLevel } from "../lib/env";
import { createLogger, type LogLevelName } from "../lib/observability/create-logger";
import { PortInUseError } from "./port-in-use";
import { startStack } from "./stack";

if (existsSync(".env")) process.loadEnvFile(".env");

const pretty = process.stdout.isTTY
  ? prettyFactory({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service", singleLine: true })
  : undefined;
const write = (text: string) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const level: LogLevelName = logLevel();
const log = createLogger({
  level: level === "trace" || level === "debug" || level === "silent" ? level : "info",
  service: "launcher",
  destination: pretty ? { write: (line: string) => write(pretty(line)) } : undefined,
});

/** A line from the stack: a part's JSON log line (as it is, or readable), anything else through the launcher's logger. */
function showLine(line: string): void {
  const json = /^\[([\w-]+)\] (\{.*\})\s*$/.exec(line);
  if (json) {
    let entry: unknown;
    try {
      entry = JSON.parse(json[2]!);
    } catch {
      entry = undefined;
    }
    if (entry && typeof entry === "object" && "level" in entry) {
      const { msg } = entry as { msg?: unknown };
      write(pretty ? pretty({ ...entry, msg: `[${json[1]}] ${typeof msg === "string" ? msg : ""}` }) : json[2]!);
      return;
    }
  }
  log.info(line);
}

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
const interrupted = new AbortController();
let shuttingDown = false;
const shutdown = async (code: number) => {
  if (shuttingDown) return;
  shuttingDown = true;
  await stack?.stop();
  process.exit(code);
};
const onSignal = () => {
  // During start-up the stack is not ours yet: aborting makes startStack stop what it started.
  if (!stack) interrupted.abort();
  else void shutdown(0);
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
// The parts run in process groups of their own: a closed terminal reaches them through us.
process.on("SIGHUP", onSignal);

try {
  const host = listenHostSchema.safeParse(process.env.HOST || undefined);
  if (!host.success) throw new Error(`HOST ${host.error.issues[0]?.message ?? "is invalid"}`);
  stack = await startStack({
    host: host.data,
    mode: "dev",
    appPort: port("PORT", 3000),
    runnerPort: port("RUNNER_PORT", 8288),
    sandboxPort: port("SANDBOX_PORT", 8300),
    dbPort: port("EMBEDDED_DB_PORT", 54329),
    signal: interrupted.signal,
    log: showLine,
  });
  if (!process.env.OPERATOR_EMAILS) {
    log.info("Operator pages (/runs): nobody is an operator; put OPERATOR_EMAILS=<your email> in .env to see them.");
  }
  log.info(`Ready: open ${stack.appUrl}  (Ctrl-C stops everything)`);
  await shutdown(await stack.exited);
} catch (error) {
  if (interrupted.signal.aborted) process.exit(0);
  if (error instanceof PortInUseError || (error instanceof Error && error.message.startsWith("HOST "))) log.fatal(error.message);
  else log.fatal({ err: error }, "start-up failed");
  process.exit(1);
}
