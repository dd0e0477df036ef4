// The sandbox's logger: JSON lines on stdout like the app's (lib/observability/create-logger.ts, the
// same redaction, which matters here: the sandbox issues the LWA tokens it might otherwise print),
// `service: "sandbox"`, at LOG_LEVEL.
import { createLogger, toLogLevel, type Logger } from "../lib/observability/create-logger";

export const sandboxLog: Logger = createLogger({ level: toLogLevel(process.env.LOG_LEVEL), service: "sandbox" });
