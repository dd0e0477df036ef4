// `npm run dev`: the whole product on embedded defaults; Ctrl-C stops every part.
import { existsSync } from "node:fs";
import { PortBusyError, startStack } from "./stack";

if (existsSync(".env")) process.loadEnvFile(".env");

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
const shutdown = async (code: number) => {
  await stack?.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  stack = await startStack({
    mode: "dev",
    appPort: port("PORT", 3000),
    runnerPort: port("RUNNER_PORT", 8288),
    sandboxPort: port("SANDBOX_PORT", 8300),
    dbPort: port("EMBEDDED_DB_PORT", 54329),
  });
  console.log(`\nReady: open ${stack.appUrl}  (Ctrl-C stops everything)\n`);
  await shutdown(await stack.exited);
} catch (error) {
  console.error(error instanceof PortBusyError ? error.message : error);
  process.exit(1);
}
