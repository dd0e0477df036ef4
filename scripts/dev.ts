// `npm run dev`: the whole product on embedded defaults; Ctrl-C stops every part.
import { existsSync } from "node:fs";
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

try {
  stack = await startStack({
    mode: "dev",
    appPort: port("PORT", 3000),
    runnerPort: port("RUNNER_PORT", 8288),
    sandboxPort: port("SANDBOX_PORT", 8300),
    dbPort: port("EMBEDDED_DB_PORT", 54329),
    signal: interrupted.signal,
  });
  console.log(`\nReady: open ${stack.appUrl}  (Ctrl-C stops everything)\n`);
  await shutdown(await stack.exited);
} catch (error) {
  if (interrupted.signal.aborted) process.exit(0);
  console.error(error instanceof PortInUseError ? error.message : error);
  process.exit(1);
}
