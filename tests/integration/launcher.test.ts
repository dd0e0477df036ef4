import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PortInUseError } from "@/scripts/port-in-use";
import { startStack, type Stack } from "@/scripts/stack";

describe("the dev launcher", () => {
  it("refuses to start when a port it needs is taken, naming the port and what it was for", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const start = startStack({ mode: "dev", appPort: port, runnerPort: 1, sandboxPort: 1, dbPort: 1, log: () => {} });
      await expect(start).rejects.toBeInstanceOf(PortInUseError);
      await expect(start).rejects.toThrow(`Port ${port} (the app) is already in use`);
    } finally {
      blocker.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILL to a part's whole process group: the part dies as a crash would (nothing cleans up). */
function crash(stack: Stack, part: string): number {
  const pid = stack.pid(part);
  expect(pid, `${part} is running`).toBeDefined();
  process.kill(-pid!, "SIGKILL");
  return pid!;
}

// The real stack (embedded PostgreSQL, sandbox, runner as child processes), with a stand-in for
// Next.js (tests/support/fake-next.mjs): the real one would build into the shared .next folder.
describe("the dev launcher when a part crashes", () => {
  let stack: Stack;
  const lines: string[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fba-launcher-"));
  const ports = { app: 0, runner: 0, sandbox: 0, db: 0 };

  beforeAll(async () => {
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    stack = await startStack({
      mode: "dev",
      appPort: ports.app,
      runnerPort: ports.runner,
      sandboxPort: ports.sandbox,
      dbPort: ports.db,
      nextCommand: [process.execPath, "tests/support/fake-next.mjs"],
      // Its own embedded database and data, the sandbox and the runner (empty values count as unset).
      env: { DATA_DIR: dataDir, DATABASE_URL: "", AMAZON_CLIENT_ID: "", INNGEST_DEV: "", INNGEST_BASE_URL: "", INNGEST_SIGNING_KEY: "" },
      restart: { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 200, maxDelayMs: 1000 },
      log: (line) => lines.push(line),
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const notExited = async () => expect(await Promise.race([stack.exited, new Promise((resolve) => setTimeout(() => resolve("running"), 50))])).toBe("running");

  it("binds the app to 127.0.0.1, not to every interface", async () => {
    expect(await answers(`http://127.0.0.1:${ports.app}/api/health`)).toMatchObject({ host: "127.0.0.1" });
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    if (external) expect(await answers(`http://${external}:${ports.app}/api/health`)).toBeUndefined();
  });

  it("restarts a crashed runner with backoff, says so, and keeps the rest running", async () => {
    const before = crash(stack, "runner");
    await waitFor("the restart message", () => lines.find((l) => l.startsWith("[runner] crashed (SIGKILL); restarting in 200 ms")), 10_000);
    const after = await waitFor("a new runner process", () => {
      const pid = stack.pid("runner");
      return pid !== undefined && pid !== before ? pid : undefined;
    }, 10_000);
    expect(lines).toContain(`[runner] restarted (pid ${after}).`);
    // Back at work: it answers on its port (after the dead runner's lease lapses).
    await waitFor("the runner's health", () => answers(`http://127.0.0.1:${ports.runner}/health`), 90_000);
    expect(await answers(`http://127.0.0.1:${ports.app}/api/health`)).toBeDefined();
    expect(await answers(`http://127.0.0.1:${ports.sandbox}/__sandbox/health`)).toBeDefined();
    await notExited();
  }, 120_000);

  it("restarts a crashed sandbox the same way", async () => {
    const before = crash(stack, "sandbox");
    await waitFor("the restart message", () => lines.find((l) => l.startsWith("[sandbox] crashed (SIGKILL); restarting in")), 10_000);
    await waitFor("the sandbox's health", async () => (stack.pid("sandbox") !== before ? answers(`http://127.0.0.1:${ports.sandbox}/__sandbox/health`) : undefined), 60_000);
    await notExited();
  }, 90_000);

  it("gives up and stops when a part keeps crashing (here 3 crashes within a minute)", async () => {
    let pid = crash(stack, "next");
    for (const n of [1, 2]) {
      const previous = pid;
      await waitFor(`restart ${n}`, () => {
        const current = stack.pid("next");
        return current !== undefined && current !== previous ? current : undefined;
      }, 10_000);
      await waitFor("the app", () => answers(`http://127.0.0.1:${ports.app}/api/health`), 10_000);
      pid = crash(stack, "next");
    }
    expect(await stack.exited).not.toBe(0);
    expect(lines.filter((l) => l.startsWith("[next] crashed (SIGKILL); restarting in"))).toHaveLength(2);
    expect(lines).toContain("[next] crashed (SIGKILL), 3 times within 60 s; giving up and shutting everything down.");
  }, 60_000);
});
