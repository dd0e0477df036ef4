// Starts the whole product on embedded defaults, for `npm run dev` and the e2e tests: the embedded
// PostgreSQL (unless DATABASE_URL is set), migrations, the SP-API sandbox (unless real Amazon
// credentials are configured), the embedded Inngest runner (unless a real Inngest is configured),
// then Next.js. Only configuration differs from production: the app reaches every part by URL.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded-postgres";
import { applyMigrations } from "./db/schema-engine";
import { redactUrl } from "./db/redact-url";
import { isAddressInUse, PortInUseError } from "./port-in-use";

export interface StackOptions {
  /** `dev` runs `next dev`; `start` runs the production build with `next start`. */
  mode: "dev" | "start";
  appPort: number;
  runnerPort: number;
  sandboxPort: number;
  dbPort: number;
  /** Extra environment for every child (tests use it for short time scales). */
  env?: NodeJS.ProcessEnv;
  sandboxArgs?: string[];
  /** Force the embedded runner on (it then signs its calls when INNGEST_SIGNING_KEY is set). */
  embeddedRunner?: boolean;
  log?: (line: string) => void;
  /** Aborting (Ctrl-C during start-up) stops whatever already started. */
  signal?: AbortSignal;
}

export interface Stack {
  appUrl: string;
  databaseUrl: string;
  sandboxUrl?: string;
  runnerUrl?: string;
  stop(): Promise<void>;
  /** Resolves with the exit code when any child stops on its own. */
  exited: Promise<number>;
}

async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(isAddressInUse(error) ? new PortInUseError(port, what) : error),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, check: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check();
    if (child.exitCode !== null) throw new Error(`${url} exited before it was ready (code ${child.exitCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const isTruthy = (value: string | undefined) => !!value && value !== "0" && value !== "false";

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const base: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env };
  const dataDir = path.resolve(base.DATA_DIR ?? ".data");
  const children: { name: string; child: ChildProcess }[] = [];
  let embedded: EmbeddedPostgres | undefined;
  let stopping = false;
  let onExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (onExit = resolve));
  let failed: string | undefined;
  // Start-up gives up at once when a part stops or the user presses Ctrl-C.
  const check = () => {
    if (options.signal?.aborted) throw new Error("start-up interrupted");
    if (failed) throw new Error(`${failed} stopped during start-up`);
  };

  const useSandbox = !base.AMAZON_CLIENT_ID;
  // Any Inngest setting of the user's own (a Dev Server via INNGEST_DEV, Cloud or self-hosted) wins.
  const useRunner = options.embeddedRunner ?? (!base.INNGEST_DEV && !base.INNGEST_BASE_URL && !base.INNGEST_SIGNING_KEY);

  await assertPortFree(options.appPort, "the app");
  if (useRunner) await assertPortFree(options.runnerPort, "the embedded Inngest runner");
  if (useSandbox) await assertPortFree(options.sandboxPort, "the SP-API sandbox");
  if (!base.DATABASE_URL) await assertPortFree(options.dbPort, "the embedded PostgreSQL");

  function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter((line) => line.trim())
        .forEach((line) => log(`[${name}] ${line}`));
    child.stdout?.on("data", prefix);
    child.stderr?.on("data", prefix);
    child.on("exit", (code, signal) => {
      if (stopping) return;
      log(`[${name}] stopped (${signal ?? `code ${code}`}); shutting everything down.`);
      failed ??= name;
      onExit(code ?? 1);
    });
    children.push({ name, child });
    return child;
  }

  async function stop() {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
    await embedded?.stop();
  }

  try {
    let databaseUrl = base.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pgdata"), port: options.dbPort });
      databaseUrl = embedded.url;
      log(`[db] embedded PostgreSQL (PGlite) at ${databaseUrl}  (psql "${databaseUrl}")`);
    } else {
      log(`[db] using ${redactUrl(databaseUrl)}`);
    }
    check();
    const applied = await applyMigrations(databaseUrl);
    log(`[db] migrations: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);

    const appUrl = options.env?.APP_URL ?? process.env.APP_URL ?? `http://localhost:${options.appPort}`;
    const appEnv: NodeJS.ProcessEnv = { ...base, DATABASE_URL: databaseUrl, APP_URL: appUrl, NEXTAUTH_URL: appUrl };
    const tsx = path.join("node_modules", ".bin", "tsx");

    let sandboxUrl: string | undefined;
    if (useSandbox && existsSync("sandbox/cli.ts")) {
      sandboxUrl = `http://127.0.0.1:${options.sandboxPort}`;
      const redirectUri = `${appUrl}/api/amazon/callback`;
      const sandbox = run(
        "sandbox",
        tsx,
        ["sandbox/cli.ts", "--port", String(options.sandboxPort), ...(options.sandboxArgs ?? [])],
        { ...base, SANDBOX_DATA_DIR: path.join(dataDir, "sandbox"), SANDBOX_REDIRECT_URIS: redirectUri },
      );
      await waitForHttp(`${sandboxUrl}/__sandbox/health`, 120_000, sandbox, check);
      Object.assign(appEnv, {
        AMAZON_SPAPI_ENDPOINT: sandboxUrl,
        AMAZON_LWA_ENDPOINT: `${sandboxUrl}/auth/o2/token`,
        AMAZON_CONSENT_URL: `${sandboxUrl}/apps/authorize/consent`,
        AMAZON_APP_ID: "amzn1.sp.solution.sandbox",
        AMAZON_CLIENT_ID: "amzn1.application-oa2-client.sandbox",
        AMAZON_CLIENT_SECRET: "sandbox-secret",
        AMAZON_REDIRECT_URI: redirectUri,
        AMAZON_APP_IS_DRAFT: "1",
      });
      log(`[sandbox] SP-API sandbox at ${sandboxUrl} (consent page ${sandboxUrl}/apps/authorize/consent)`);
    }

    let runnerUrl: string | undefined;
    if (useRunner && existsSync("runner/cli.ts")) {
      runnerUrl = `http://127.0.0.1:${options.runnerPort}`;
      // Dev mode finds the runner through INNGEST_DEV; cloud mode (a signing key) through the base URL.
      if (base.INNGEST_SIGNING_KEY) appEnv.INNGEST_BASE_URL = runnerUrl;
      else appEnv.INNGEST_DEV = runnerUrl;
      run("runner", tsx, ["runner/cli.ts", "--port", String(options.runnerPort), "--app-url", `http://127.0.0.1:${options.appPort}/api/inngest`], {
        ...base,
        DATABASE_URL: databaseUrl,
      });
    }

    const nextBin = path.join("node_modules", ".bin", "next");
    const next = run("next", nextBin, [options.mode, "-p", String(options.appPort)], appEnv);
    await waitForHttp(`http://127.0.0.1:${options.appPort}/api/health`, 300_000, next, check);
    log(`[next] app ready at ${appUrl}`);
    if (runnerUrl) log(`[runner] embedded Inngest runner at ${runnerUrl} (runs: ${appUrl}/runs)`);

    return { appUrl, databaseUrl, sandboxUrl, runnerUrl, stop, exited };
  } catch (error) {
    await stop();
    throw error;
  }
}
