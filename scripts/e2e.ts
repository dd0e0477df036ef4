// `npm run test:e2e`: builds the app, starts the production build with the embedded database,
// sandbox and runner on test ports (fresh data, production mode, signed Inngest calls), runs
// Playwright in Debian's Chromium, then stops everything.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack } from "./stack";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `Chromium was not found at ${chromium}. Playwright cannot download its own browser here; install Debian's:\n` +
      `  sudo apt-get update && sudo apt-get install -y chromium\n` +
      `or point CHROMIUM_PATH at an installed Chromium.`,
  );
  process.exit(1);
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(command, args, { stdio: "inherit", env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } }).status ?? 1;

if (!process.argv.includes("--no-build")) {
  const code = run(path.join("node_modules", ".bin", "next"), ["build"]);
  if (code !== 0) process.exit(code);
}

const appPort = 3100;
const signingKey = `signkey-test-${randomBytes(32).toString("hex")}`;
const stack = await startStack({
  mode: "start",
  appPort,
  runnerPort: 8388,
  sandboxPort: 8400,
  dbPort: 54429,
  embeddedRunner: true,
  // Amazon's clock runs 60 times faster by default (E2E_SANDBOX_TIME_SCALE=1 for real time): a whole
  // historical sync, which Amazon's createReport usage plan stretches over 15+ minutes at real time,
  // then ends within a browser test. The app reads the scaled clock from the sandbox (scripts/stack.ts).
  // Five sellers: one Amazon account is held by one app account at a time, so the journeys that sync
  // each have their own (tests/e2e/support/pages.ts SANDBOX_SELLER).
  sandboxArgs: ["--time-scale", process.env.E2E_SANDBOX_TIME_SCALE ?? "60", "--sellers", "5"],
  env: {
    NODE_ENV: "production",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "fba-e2e-")),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    TOKEN_ENCRYPTION_KEYS: `e2e1:${randomBytes(32).toString("base64")}`,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: "e2e-event-key",
    INNGEST_DEV: "0",
    OPERATOR_EMAILS: "operator@e2e.test",
    // Every browser of the suite comes from 127.0.0.1: the per-address limits are for real traffic
    // (their behaviour is tested in tests/integration/auth/).
    SIGNUP_RATE_LIMIT_MAX: "1000",
    API_RATE_LIMIT_MAX: "100000",
  },
  log: (line) => {
    if (process.env.E2E_VERBOSE || /error|fail/i.test(line)) console.log(line);
  },
});

let code = 1;
try {
  // Asynchronous on purpose: this process hosts the embedded PostgreSQL, whose event loop must keep
  // running while the browser tests use the app.
  const playwright = spawn(
    path.join("node_modules", ".bin", "playwright"),
    ["test", ...process.argv.slice(2).filter((a) => a !== "--no-build")],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_BASE_URL: stack.appUrl,
        E2E_SANDBOX_URL: stack.sandboxUrl ?? "",
        E2E_RUNNER_URL: stack.runnerUrl ?? "",
        E2E_DATABASE_URL: stack.databaseUrl,
      },
    },
  );
  code = await new Promise<number>((resolve) => playwright.on("exit", (exitCode) => resolve(exitCode ?? 1)));
} finally {
  await stack.stop();
}
process.exit(code);
