// `npm run dev`: the whole product on embedded defaults; Ctrl-C stops every part. A part that crashes
// is restarted with backoff (see stack.ts); the launcher stops when one keeps crashing.
import { existsSync } from "node:fs";
import { listenHostSchema } from "../lib/env";
import { PortInUseError } from "./port-in-use";
import { startStack } from "./stack";

if (existsSync(".env")) process.loadEnvFile(".env");

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
  });
  if (!process.env.OPERATOR_EMAILS) {
    console.log("Operator pages (/runs): nobody is an operator; put OPERATOR_EMAILS=<your email> in .env to see them.");
  }
  console.log(`\nReady: open ${stack.appUrl}  (Ctrl-C stops everything)\n`);
  await shutdown(await stack.exited);
} catch (error) {
  if (interrupted.signal.aborted) process.exit(0);
  console.error(error instanceof PortInUseError || (error instanceof Error && error.message.startsWith("HOST ")) ? error.message : error);
  process.exit(1);
}
