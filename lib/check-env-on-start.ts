// Imported once at server start (instrumentation.ts): a wrong or missing required variable stops
// start-up here, with a message naming it, instead of failing on the first request.
import { env, EnvError } from "./env";
import { log } from "./observability/logger";

try {
  env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  // Names the variables and what is wrong with them, never their values.
  log.fatal(error.message);
  process.exit(1);
}
