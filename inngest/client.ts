// The app's Inngest client. Which engine it talks to (embedded runner, Inngest Dev Server, Inngest
// Cloud) comes only from the SDK's own environment variables: INNGEST_DEV, INNGEST_BASE_URL,
// INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY. Event types live in ./events.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "fba-recovery" });

export * from "./events";
