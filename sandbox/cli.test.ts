import { describe, expect, it } from "vitest";
import { parseCliConfig } from "./cli";
import { parseFaultSpec } from "./faults";

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
