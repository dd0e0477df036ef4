// Pure protocol pieces, no database: durations, seeded event ids, signatures, function configs, cron.
import { describe, expect, it } from "vitest";
import { decodeTime } from "ulid";
import { INNGEST_BACKOFF_MS, INNGEST_LIMITS, backoffDelayMs, optionsFromArgs, resolveOptions } from "../config";
import { nextCronTick } from "./cron";
import { parseDurationMs, retryAfterMs, sleepEndsAt } from "./durations";
import { deterministicUlid, eventIdFromSeed } from "./event-ids";
import { SyncRefusedError, toFunctionDefinition } from "./function-config";
import { canonicalJson, hashedSigningKey, signatureHeader, verifySignature } from "./signature";

const now = new Date("2026-11-22T10:00:00.000Z");

describe("durations", () => {
  it("reads the SDK's duration strings", () => {
    expect(parseDurationMs("1s")).toBe(1000);
    expect(parseDurationMs("2h30m10s")).toBe(9_010_000);
    expect(parseDurationMs("1500ms")).toBe(1500);
    expect(parseDurationMs("1w1d")).toBe(8 * 86_400_000);
  });
  it("refuses a duration it cannot read instead of guessing", () => {
    expect(() => parseDurationMs("soon")).toThrow(/Cannot read duration/);
    expect(() => parseDurationMs("5 minutes")).toThrow();
  });
  it("ends a sleepUntil at its instant and a sleep after its duration", () => {
    expect(sleepEndsAt("2026-11-22T12:00:00.000Z", now).toISOString()).toBe("2026-11-22T12:00:00.000Z");
    expect(sleepEndsAt("90s", now).toISOString()).toBe("2026-11-22T10:01:30.000Z");
  });
  it("reads retry-after as seconds or as a date", () => {
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs("2026-11-22T10:00:05.000Z", now)).toBe(5000);
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe("event ids", () => {
  const seed = "1795334833647,AAECAwQFBgcICQ==";
  it("gives the same ids for the same seed, different ones per index, timed by the seed", () => {
    const a = eventIdFromSeed(seed, 0);
    expect(a).toBe(eventIdFromSeed(seed, 0));
    expect(eventIdFromSeed(seed, 1)).not.toBe(a);
    expect(decodeTime(a ?? "")).toBe(1795334833647);
  });
  it("ignores a malformed seed", () => {
    expect(eventIdFromSeed("nonsense", 0)).toBeNull();
    expect(eventIdFromSeed("123,c2hvcnQ=", 0)).toBeNull();
  });
  it("names a cron tick the same way every time", () => {
    expect(deterministicUlid(1_000, "fn|cron")).toBe(deterministicUlid(1_000, "fn|cron"));
    expect(deterministicUlid(1_000, "fn|cron")).not.toBe(deterministicUlid(1_000, "other|cron"));
  });
});

describe("signatures", () => {
  const key = "signkey-prod-8ee2262a15e8d3c42d6a840db7af3de2aab08ef632b32a37a687f24b34dba3ff";
  it("serialises with sorted keys (RFC 8785)", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe('{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
  });
  it("verifies its own signature and rejects a changed body, a wrong key or a stale timestamp", () => {
    const body = canonicalJson({ hello: "world" });
    const header = signatureHeader(key, body, now);
    expect(verifySignature(header, body, [key], now)).toBe(true);
    expect(verifySignature(header, body.replace("world", "World"), [key], now)).toBe(false);
    expect(verifySignature(header, body, ["signkey-prod-00"], now)).toBe(false);
    expect(verifySignature(header, body, [key], new Date(now.getTime() + 6 * 60_000))).toBe(false);
  });
  it("hashes the signing key for the bearer as the SDK does, keeping the prefix", () => {
    expect(hashedSigningKey(key)).toMatch(/^signkey-prod-[0-9a-f]{64}$/);
    expect(hashedSigningKey(key)).not.toContain("8ee2262a15e8d3c4");
  });
});

describe("function configs", () => {
  const base = {
    id: "app-fn",
    name: "fn",
    triggers: [{ event: "a/b" }],
    steps: { step: { id: "step", name: "step", runtime: { type: "http", url: "http://127.0.0.1:3000/api/inngest?fnId=app-fn&stepId=step" } } },
  };
  it("defaults to Inngest's 3 retries and reads triggers, concurrency, cancel, singleton and timeouts", () => {
    const def = toFunctionDefinition({
      ...base,
      triggers: [{ event: "a/b", expression: "event.data.x > 1" }, { cron: "TZ=Europe/Paris 0 3 * * *" }],
      concurrency: [{ limit: 1, key: "event.data.seller" }, 5],
      cancel: [{ event: "a/stop", if: "event.data.id == async.data.id", timeout: "1h" }],
      singleton: { key: "event.data.seller", mode: "cancel" },
      timeouts: { start: "10s", finish: "1m" },
    });
    expect(def.retries).toBe(3);
    expect(def.eventTriggers).toEqual([{ event: "a/b", expression: "event.data.x > 1" }]);
    expect(def.cronTriggers).toEqual(["TZ=Europe/Paris 0 3 * * *"]);
    expect(def.concurrency).toEqual([
      { limit: 1, key: "event.data.seller", scope: "fn" },
      { limit: 5, scope: "fn" },
    ]);
    expect(def.cancel).toEqual([{ event: "a/stop", if: "event.data.id == async.data.id", timeoutMs: 3_600_000 }]);
    expect(def.singleton).toEqual({ key: "event.data.seller", mode: "cancel" });
    expect([def.startTimeoutMs, def.finishTimeoutMs]).toEqual([10_000, 60_000]);
  });
  it.each(["batchEvents", "debounce", "rateLimit", "throttle", "priority"])("refuses a function using %s", (field) => {
    expect(() => toFunctionDefinition({ ...base, [field]: { limit: 1, period: "1m" } })).toThrow(SyncRefusedError);
    expect(() => toFunctionDefinition({ ...base, [field]: { limit: 1, period: "1m" } })).toThrow(field);
  });
  it("refuses a cron trigger with a jitter it would ignore", () => {
    expect(() => toFunctionDefinition({ ...base, triggers: [{ cron: "* * * * *", jitter: "10s" }] })).toThrow(SyncRefusedError);
  });
});

describe("cron", () => {
  it("applies the TZ= prefix: 03:00 in Paris is 01:00 UTC in summer and 02:00 UTC in winter", () => {
    expect(nextCronTick("TZ=Europe/Paris 0 3 * * *", new Date("2026-07-01T00:00:00Z")).toISOString()).toBe("2026-07-01T01:00:00.000Z");
    expect(nextCronTick("TZ=Europe/Paris 0 3 * * *", new Date("2026-12-01T00:00:00Z")).toISOString()).toBe("2026-12-01T02:00:00.000Z");
  });
  it("reads a cron without a zone as UTC", () => {
    expect(nextCronTick("*/15 * * * *", new Date("2026-07-01T00:07:00Z")).toISOString()).toBe("2026-07-01T00:15:00.000Z");
  });
});

describe("options", () => {
  it("uses Inngest's backoff table and limits by default", () => {
    const o = resolveOptions({ databaseUrl: "postgresql://x" });
    expect(o.port).toBe(8288);
    expect(o.backoffMs).toEqual(INNGEST_BACKOFF_MS);
    expect(INNGEST_BACKOFF_MS.slice(0, 3)).toEqual([15_000, 30_000, 60_000]);
    expect(o.limits).toEqual({ maxSteps: 1000, maxStepOutputBytes: 4 * 1024 * 1024, maxRunStateBytes: 32 * 1024 * 1024, maxEventBytes: 256 * 1024 });
    expect(o.limits).toEqual(INNGEST_LIMITS);
  });
  it("backs off along the table with jitter, repeating the last entry", () => {
    const o = { backoffMs: [100, 200], jitterMs: 0 };
    expect([1, 2, 3, 9].map((n) => backoffDelayMs(o, n))).toEqual([100, 200, 200, 200]);
    const jittered = backoffDelayMs({ backoffMs: [100], jitterMs: 50 }, 1);
    expect(jittered).toBeGreaterThanOrEqual(100);
    expect(jittered).toBeLessThanOrEqual(150);
  });
  it("reads the CLI flags first, then the environment", () => {
    const o = optionsFromArgs(["--port", "9000", "--app-url=http://app/api/inngest"], {
      DATABASE_URL: "postgresql://db",
      RUNNER_PORT: "7000",
      INNGEST_SIGNING_KEY: "signkey-test-ab",
      RUNNER_BACKOFF_MS: "10,20",
    });
    expect(o).toMatchObject({ port: 9000, appUrl: "http://app/api/inngest", databaseUrl: "postgresql://db", signingKey: "signkey-test-ab", backoffMs: [10, 20] });
    expect(() => optionsFromArgs([], {})).toThrow(/DATABASE_URL/);
  });
});
