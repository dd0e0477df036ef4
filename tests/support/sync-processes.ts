// The sync stack as separate processes, so a test can kill -9 the app or the runner mid-sync and
// start them again: the app's Inngest endpoint (sync-app-server.ts) and the embedded runner (runner/cli.ts),
// both on the test's database, the SP-API sandbox in the test process.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./sync-stack";

export interface ManagedProcess {
  start(): Promise<void>;
  /** SIGKILL: no clean shutdown, nothing flushed. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function managed(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): ManagedProcess {
  let child: ChildProcess | undefined;
  const exited = () => new Promise<void>((resolve) => (child && child.exitCode === null && child.signalCode === null ? child.once("exit", () => resolve()) : resolve()));
  return {
    async start() {
      child = spawn(process.execPath, ["--import", "tsx", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
      let log = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start: ${log.slice(-2000)}`)), 60_000);
        const onData = (chunk: Buffer) => {
          log += chunk.toString();
          if (ready.test(log)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child!.stdout!.on("data", onData);
        child!.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
        child!.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}) before it was ready: ${log.slice(-2000)}`));
        });
      });
    },
    async kill() {
      child?.kill("SIGKILL");
      await exited();
    },
    async stop() {
      child?.kill("SIGTERM");
      await exited();
    },
  };
}

export interface SyncProcesses {
  app: ManagedProcess;
  runner: ManagedProcess;
  runnerUrl: string;
  close(): Promise<void>;
}

/** Starts both; `env` is the app's environment (Amazon endpoints, time scale, DATABASE_URL, ...). */
export async function startSyncProcesses(env: NodeJS.ProcessEnv): Promise<SyncProcesses> {
  const appPort = await freePort();
  const runnerPort = await freePort();
  const runnerUrl = `http://127.0.0.1:${runnerPort}`;
  const appEnv = { ...env, INNGEST_DEV: runnerUrl };
  const app = managed("app", ["tests/support/sync-app-server.ts", String(appPort)], appEnv, /ready \d+/);
  const runner = managed(
    "runner",
    ["runner/cli.ts", "--port", String(runnerPort), "--app-url", `http://127.0.0.1:${appPort}/api/inngest`, "--backoff-ms", "200,500,1000", "--jitter-ms", "50", "--resync-ms", "2000"],
    { ...env, DATABASE_URL: env.DATABASE_URL },
    /listening|runner .*http:\/\/127\.0\.0\.1/i,
  );
  await app.start();
  await runner.start();
  return {
    app,
    runner,
    runnerUrl,
    async close() {
      await runner.stop();
      await app.stop();
    },
  };
}
