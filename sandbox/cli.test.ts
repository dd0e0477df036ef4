import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCliConfig } from "./cli";
import { parseFaultSpec } from "./faults";
import { WORLD_END } from "./test-support/harness";

describe("sandbox CLI configuration", () => {
  it("reads SANDBOX_* env and lets flags win", () => {
    const c = parseCliConfig(["--port", "5000", "--time-scale=60", "--size", "large"], {
      SANDBOX_PORT: "4000",
      SANDBOX_SEED: "9",
      SANDBOX_SELLERS: "5",
      SANDBOX_REDIRECT_URIS: "http://a/cb, http://b/cb",
      SANDBOX_TIME_SCALE: "2",
    });
    expect(c).toMatchObject({ port: 5000, seed: 9, sellers: 5, size: "large", timeScale: 60, redirectUris: ["http://a/cb", "http://b/cb"] });
    expect(parseCliConfig(["--live-world", "true"], {}).liveWorld).toBe(true);
    expect(parseCliConfig([], { SANDBOX_LIVE_WORLD: "true" }).liveWorld).toBe(true);
    expect(parseCliConfig([], {}).liveWorld).toBe(false);
  });

  it("rejects unknown flags and invalid values", () => {
    expect(() => parseCliConfig(["--prot", "1"], {})).toThrow(/unknown flag --prot/);
    expect(() => parseCliConfig(["--size", "huge"], {})).toThrow();
    expect(() => parseCliConfig(["--time-scale", "0"], {})).toThrow();
    expect(() => parseCliConfig(["--port"], {})).toThrow(/needs a value/);
  });

  it("parses fault specs as JSON or as knob=value shorthand", () => {
    expect(parseFaultSpec("error500=0.1,throttle.getReport=0.5,latencyMs=200,corruptDocument=1")).toEqual({
      error500: { "*": 0.1 },
      throttle: { getReport: 0.5 },
      latencyMs: { "*": 200 },
      corruptDocument: 1,
    });
    expect(parseFaultSpec('{"reportFatal":0.2}')).toEqual({ reportFatal: 0.2 });
    expect(() => parseFaultSpec("error500=2")).toThrow();
    expect(parseCliConfig([], { SANDBOX_FAULTS: "dropConnection.getOrders=1" }).faults).toEqual({ dropConnection: { getOrders: 1 } });
  });
});

describe("sandbox CLI process", () => {
  it("prints one line with the URL and sellers, serves, and exits 0 on SIGTERM", async () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["sandbox/cli.ts", "--port", "0", "--sellers", "2", "--start-time", WORLD_END], {
      cwd: root,
      env: { ...process.env, SANDBOX_SEED: "5", SANDBOX_TIME_SCALE: "60" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes("\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const line = out.split("\n")[0]!;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    expect(url, line).toBeDefined();
    expect(line).toMatch(/seed 5/);
    expect(line.match(/A[A-Z0-9]{13}/g)).toHaveLength(2);
    const health = await fetch(`${url}/__sandbox/health`);
    expect(health.status).toBe(200);
    // The world it serves ends at the pinned instant, not at the real now.
    const { sellers } = (await (await fetch(`${url}/__sandbox/sellers`)).json()) as { sellers: Array<{ worldEnd: string }> };
    expect(sellers.map((s) => s.worldEnd)).toEqual([WORLD_END, WORLD_END]);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("stopped (SIGTERM)");
  });
});
