// The app's Inngest client. Which engine it talks to (embedded runner, Inngest Dev Server, Inngest
// Cloud) comes only from the SDK's own environment variables: INNGEST_DEV, INNGEST_BASE_URL,
// INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY. Event types live in ./events.
import { Inngest } from "inngest";
import { log } from "@/lib/observability/logger";

// The app's logger: step and function logs (ctx.logger, with the run id the SDK binds) and the SDK's
// own messages are JSON lines like the rest of the app's, secrets redacted.
export const inngest = new Inngest({ id: "fba-recovery", logger: log });

export * from "./events";
