// Starts the whole product on embedded defaults, for `npm run dev` and the e2e tests: the embedded
// PostgreSQL (unless DATABASE_URL is set), migrations, the SP-API sandbox (unless real Amazon
// credentials are configured), the embedded Inngest runner (unless a real Inngest is configured),
// then Next.js. Only configuration differs from production: the app reaches every part by URL.
//
// Once everything is up, a part that dies (the sandbox, the runner, Next.js) is started again after a
// backoff (1 s, 2 s, 4 s, ... up to 30 s), and the log says so; the stack stops only when asked, or when
// one part keeps crashing (5 crashes within a minute). A part that dies during start-up stops start-up
// (a configuration error shows at once). Each part runs in its own process group, so a crash or a stop
// also ends what it started (tsx's node process, Next's workers) and frees its port. Next.js listens on
// 127.0.0.1 unless `host` says otherwise (HOST in `npm run dev`).
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
  env?: Partial<NodeJS.ProcessEnv>;
  sandboxArgs?: string[];
  /** Force the embedded runner on (it then signs its calls when INNGEST_SIGNING_KEY is set). */
  embeddedRunner?: boolean;
  log?: (line: string) => void;
  /** Aborting (Ctrl-C during start-up) stops whatever already started. */
  signal?: AbortSignal;
  /** Address Next.js listens on (default 127.0.0.1: in dev mode /api/inngest accepts unsigned calls). */
  host?: string;
  /** When a crashed part is started again, and when the stack gives up instead. */
  restart?: Partial<RestartPolicy>;
  /** The Next.js command (default node_modules/.bin/next); launcher tests use a stand-in. */
  nextCommand?: string[];
}

export interface RestartPolicy {
  /** The stack stops when one part crashes this many times within `windowMs`. */
  maxCrashes: number;
  windowMs: number;
  /** Delay before the first restart, doubled for each further crash within the window. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxCrashes: 5, windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Loopback addresses: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface Stack {
  appUrl: string;
  databaseUrl: string;
  sandboxUrl?: string;
  runnerUrl?: string;
  stop(): Promise<void>;
  /** Resolves with an exit code when the stack gives up: a part kept crashing (or died during start-up). */
  exited: Promise<number>;
  /** The process id of a part's current process (`sandbox`, `runner`, `next`), if it is running. */
  pid(part: string): number | undefined;
}

async function assertPortFree(port: number, what: string, host = "127.0.0.1"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(isAddressInUse(error) ? new PortInUseError(port, what) : error),
    );
    server.listen(port, host, () => server.close(() => resolve()));
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

const formatDelay = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const base: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env };
  const dataDir = path.resolve(base.DATA_DIR ?? ".data");
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

  const host = options.host ?? "127.0.0.1";
  // Where this machine reaches the app: a wildcard address listens on loopback too.
  const appLocalHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  const useSandbox = !base.AMAZON_CLIENT_ID;
  // Any Inngest setting of the user's own (a Dev Server via INNGEST_DEV, Cloud or self-hosted) wins.
  const useRunner = options.embeddedRunner ?? (!base.INNGEST_DEV && !base.INNGEST_BASE_URL && !base.INNGEST_SIGNING_KEY);

  await assertPortFree(options.appPort, "the app", host);
  if (useRunner) await assertPortFree(options.runnerPort, "the embedded Inngest runner");
  if (useSandbox) await assertPortFree(options.sandboxPort, "the SP-API sandbox");
  if (!base.DATABASE_URL) await assertPortFree(options.dbPort, "the embedded PostgreSQL");

  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
  let ready = false;

  interface Part {
    name: string;
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    child: ChildProcess;
    crashes: number[];
    restartTimer?: NodeJS.Timeout;
  }
  const parts: Part[] = [];

  /** Signals the part's whole process group (it leads one: spawned detached). */
  function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  }
  // Should this process end without stop() (an uncaught error), take the parts along.
  const killAll = () => parts.forEach((part) => signalGroup(part.child, "SIGKILL"));
  process.once("exit", killAll);

  function spawnPart(part: Omit<Part, "child">): ChildProcess {
    const child = spawn(part.command, part.args, { env: part.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter((line) => line.trim())
        .forEach((line) => log(`[${part.name}] ${line}`));
    child.stdout?.on("data", prefix);
    child.stderr?.on("data", prefix);
    child.on("error", (error) => log(`[${part.name}] could not start: ${error.message}`));
    child.on("exit", (code, signal) => onPartExit(part as Part, child, code, signal));
    return child;
  }

  function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
    const part = { name, command, args, env, crashes: [] } as Omit<Part, "child">;
    const child = spawnPart(part);
    parts.push(Object.assign(part, { child }) as Part);
    return child;
  }

  function onPartExit(part: Part, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    // What the part started (tsx's node process, Next's workers) would keep its port: end it too.
    signalGroup(child, "SIGKILL");
    if (stopping || part.child !== child) return;
    const how = signal ?? `code ${code}`;
    if (!ready) {
      log(`[${part.name}] stopped (${how}) during start-up; shutting everything down.`);
      failed ??= part.name;
      onExit(code || 1);
      return;
    }
    const now = Date.now();
    part.crashes = [...part.crashes.filter((at) => now - at < policy.windowMs), now];
    const within = `${Math.round(policy.windowMs / 1000)} s`;
    if (part.crashes.length >= policy.maxCrashes) {
      log(`[${part.name}] crashed (${how}), ${part.crashes.length} times within ${within}; giving up and shutting everything down.`);
      onExit(code || 1);
      return;
    }
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (part.crashes.length - 1));
    log(`[${part.name}] crashed (${how}); restarting in ${formatDelay(delay)} (crash ${part.crashes.length} of ${policy.maxCrashes} within ${within} stops everything).`);
    part.restartTimer = setTimeout(() => {
      part.restartTimer = undefined;
      if (stopping) return;
      part.child = spawnPart(part);
      log(`[${part.name}] restarted (pid ${part.child.pid ?? "?"}).`);
    }, delay);
  }

  async function stop() {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      parts.map(
        (part) =>
          new Promise<void>((resolve) => {
            clearTimeout(part.restartTimer);
            const { child } = part;
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 8000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            signalGroup(child, "SIGTERM");
          }),
      ),
    );
    process.removeListener("exit", killAll);
    await embedded?.stop();
  }

  const pid = (name: string) => {
    const child = parts.find((part) => part.name === name)?.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  };

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
      // A time-scaled sandbox (--time-scale): the app reads Amazon's clock from it (lib/sync/amazon-time.ts).
      const clock = (await fetch(`${sandboxUrl}/__sandbox/clock`).then((r) => r.json()).catch(() => null)) as { now: string; scale: number } | null;
      if (clock && clock.scale !== 1) Object.assign(appEnv, { AMAZON_TIME_SCALE: String(clock.scale), AMAZON_TIME_ANCHOR: `${clock.now}@${new Date().toISOString()}` });
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
      run("runner", tsx, ["runner/cli.ts", "--port", String(options.runnerPort), "--app-url", `http://${appLocalHost}:${options.appPort}/api/inngest`], {
        ...base,
        DATABASE_URL: databaseUrl,
      });
    }

    const [nextCommand, ...nextPrefix] = options.nextCommand ?? [path.join("node_modules", ".bin", "next")];
    const next = run("next", nextCommand!, [...nextPrefix, options.mode, "-p", String(options.appPort), "-H", host], appEnv);
    await waitForHttp(`http://${appLocalHost}:${options.appPort}/api/health`, 300_000, next, check);
    log(`[next] app ready at ${appUrl} (listening on ${host})`);
    if (!isLoopbackHost(host)) {
      log(
        `[next] WARNING: HOST=${host} makes the app reachable from other machines` +
          (appEnv.INNGEST_DEV ? "; in dev mode its Inngest endpoint (/api/inngest) accepts unsigned calls." : "."),
      );
    }
    if (runnerUrl) log(`[runner] embedded Inngest runner at ${runnerUrl} (runs: ${appUrl}/runs)`);

    ready = true;
    return { appUrl, databaseUrl, sandboxUrl, runnerUrl, stop, exited, pid };
  } catch (error) {
    await stop();
    throw error;
  }
}
