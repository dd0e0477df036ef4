// `npm run runner` (tsx runner/cli.ts [--port 8288] [--app-url http://localhost:3000/api/inngest]):
// the embedded Inngest runner as its own process. Env: RUNNER_PORT, RUNNER_APP_URL, DATABASE_URL,
// INNGEST_SIGNING_KEY (cloud-mode signing), INNGEST_EVENT_KEY, RUNNER_BACKOFF_MS, RUNNER_JITTER_MS,
// LOG_LEVEL (its JSON log lines on stdout, runner/logger.ts).
import { optionsFromArgs } from "./config";
import { startRunner } from "./index";
import { createRunnerLogger } from "./logger";

try {
  const runner = await startRunner(optionsFromArgs(process.argv.slice(2), process.env));
  // Ctrl-C reaches this process twice (directly, and relayed by the tsx wrapper and the launcher):
  // later signals must not cut the clean stop short, or the lease stays held and blocks a restart.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void runner.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  createRunnerLogger().fatal(`could not start: ${(error as Error).message}`);
  process.exit(1);
}
