// The app's logger (lib/observability): secrets never reach a line, whether they sit in a field, a
// header, a message or an error; the request and sync context rides along inside withLogContext and
// nowhere else; LOG_LEVEL decides what is written. The runner's copy of the rules is held to the same
// samples.
import { afterEach, describe, expect, it, vi } from "vitest";
import { logLevel, parseEnv } from "@/lib/env";
import { createAppLogger, withLogContext } from "@/lib/observability/logger";
import { createRunnerLogger } from "@/runner/logger";

const REFRESH = "Atzr|IwEBIOfYq7Vn9kR2-refresh_SECRET.one";
const ACCESS = "Atza|IwEBIB3x8QvT0cPz-access_SECRET.two";
const DB_PASSWORD = "pg-SECRET-pw-3";
const BEARER = "eyJhbGciOiJIUzI1NiJ9.bearer-SECRET-4";
const COOKIE = "next-auth.session-token=cookie-SECRET-5";
const CLIENT_SECRET = "amzn1.oa2-cs.v1.client-SECRET-6";
const SIGNING_KEY = "signkey-prod-0123456789abcdef0123456789abcdef";
const ALL_SECRETS = [REFRESH, ACCESS, DB_PASSWORD, BEARER, COOKIE, CLIENT_SECRET, SIGNING_KEY, "SECRET"];

/** A destination that keeps the lines; pino writes one JSON line per call. */
function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) }, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Every way a secret could reach a log line: fields, headers, messages, errors, child bindings. */
function logSecrets(log: ReturnType<typeof createAppLogger>) {
  log.info({ connection: { sellingPartnerId: "A1SELLER", refreshToken: REFRESH } }, "connection loaded");
  log.info({ request: { headers: { authorization: `Bearer ${BEARER}`, cookie: COOKIE, "x-amz-access-token": ACCESS } } }, "outgoing call");
  // Deeper than the redact paths reach, in an array, with other spellings of the keys.
  log.info({ a: { b: { c: { d: { e: { Authorization: `Bearer ${BEARER}`, refresh_token: REFRESH, clientSecret: CLIENT_SECRET } } } } }, list: [{ access_token: ACCESS }] }, "deep");
  log.warn(`LWA refused the refresh token ${REFRESH} (access token "${ACCESS}")`);
  log.error({ err: new Error(`connect ECONNREFUSED postgresql://fba:${DB_PASSWORD}@db.internal:5432/fba?sslmode=require`) }, "database unreachable");
  log.error(`query failed at postgres://fba:${DB_PASSWORD}@db.internal/fba; client_secret=${CLIENT_SECRET}; key ${SIGNING_KEY}`);
  log.child({ token: REFRESH, component: "sync" }).info("child line");
}

describe("the app logger", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("writes one JSON line per call with level, time, service and message", () => {
    const out = capture();
    createAppLogger({ level: "info", destination: out.destination }).info({ rows: 12 }, "ingested");
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.endsWith("\n")).toBe(true);
    expect(out.entries()[0]).toMatchObject({ level: "info", service: "app", msg: "ingested", rows: 12 });
    expect(Date.parse(String(out.entries()[0]!.time))).not.toBeNaN();
  });

  it("lets no secret through: fields at any depth, headers, messages, errors, child bindings", () => {
    const out = capture();
    logSecrets(createAppLogger({ level: "info", destination: out.destination }));
    const text = out.lines.join("");
    for (const secret of ALL_SECRETS) expect(text, secret).not.toContain(secret);
    // Every line is still valid JSON, and what is not secret is still there.
    const entries = out.entries();
    expect(entries).toHaveLength(7);
    expect(entries[0]).toMatchObject({ connection: { sellingPartnerId: "A1SELLER", refreshToken: "[REDACTED]" } });
    expect(entries[1]).toMatchObject({ request: { headers: { authorization: "[REDACTED]", cookie: "[REDACTED]", "x-amz-access-token": "[REDACTED]" } } });
    expect(entries[2]).toMatchObject({ a: { b: { c: { d: { e: { Authorization: "[REDACTED]", refresh_token: "[REDACTED]", clientSecret: "[REDACTED]" } } } } }, list: [{ access_token: "[REDACTED]" }] });
    expect(entries[3]!.msg).toBe('LWA refused the refresh token [REDACTED] (access token "[REDACTED]")');
    const err = entries[4]!.err as { type: string; message: string; stack: string };
    expect(err.type).toBe("Error");
    expect(err.message).toBe("connect ECONNREFUSED postgresql://fba:[REDACTED]@db.internal:5432/fba?sslmode=require");
    expect(err.stack).toContain("postgresql://fba:[REDACTED]@db.internal");
    expect(entries[5]!.msg).toBe("query failed at postgres://fba:[REDACTED]@db.internal/fba; client_secret=[REDACTED]; key [REDACTED]");
    expect(entries[6]).toMatchObject({ token: "[REDACTED]", component: "sync", msg: "child line" });
  });

  it("does not change the object it was given", () => {
    const out = capture();
    const connection = { refreshToken: REFRESH, nested: { password: "hunter2-SECRET" } };
    createAppLogger({ level: "info", destination: out.destination }).info({ connection }, "x");
    expect(connection).toEqual({ refreshToken: REFRESH, nested: { password: "hunter2-SECRET" } });
    expect(out.lines[0]).not.toContain("hunter2");
  });

  it("adds the request and sync context inside withLogContext, across awaits, and nowhere else", async () => {
    const out = capture();
    const log = createAppLogger({ level: "info", destination: out.destination });
    log.info("before");
    await withLogContext({ requestId: "req-1" }, async () => {
      log.info("request");
      await new Promise((resolve) => setTimeout(resolve, 5));
      await withLogContext({ sellerConnectionId: "conn-1", syncRunId: "run-1" }, async () => {
        await Promise.resolve();
        log.info("sync");
      });
      log.child({ component: "x" }).info("child, after the inner context");
    });
    log.info("after");
    const [before, request, sync, child, after] = out.entries();
    for (const entry of [before, after]) {
      expect(entry).not.toHaveProperty("requestId");
      expect(entry).not.toHaveProperty("sellerConnectionId");
      expect(entry).not.toHaveProperty("syncRunId");
    }
    expect(request).toMatchObject({ requestId: "req-1", msg: "request" });
    expect(request).not.toHaveProperty("sellerConnectionId");
    expect(sync).toMatchObject({ requestId: "req-1", sellerConnectionId: "conn-1", syncRunId: "run-1" });
    expect(child).toMatchObject({ requestId: "req-1", component: "x" });
    expect(child).not.toHaveProperty("syncRunId");
  });

  it("keeps two concurrent requests' contexts apart", async () => {
    const out = capture();
    const log = createAppLogger({ level: "info", destination: out.destination });
    const handle = (id: string, delay: number) =>
      withLogContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        log.info(`done ${id}`);
      });
    await Promise.all([handle("slow", 20), handle("fast", 1)]);
    expect(out.entries().map((e) => [e.msg, e.requestId])).toEqual([
      ["done fast", "fast"],
      ["done slow", "slow"],
    ]);
  });

  it("writes what LOG_LEVEL allows", () => {
    vi.stubEnv("LOG_LEVEL", "warn");
    const out = capture();
    const log = createAppLogger({ destination: out.destination });
    log.debug("debug");
    log.info("info");
    log.warn("warn");
    log.error("error");
    expect(out.entries().map((e) => e.level)).toEqual(["warn", "error"]);

    vi.stubEnv("LOG_LEVEL", "silent");
    const silent = capture();
    createAppLogger({ destination: silent.destination }).fatal("nothing");
    expect(silent.lines).toEqual([]);

    vi.stubEnv("LOG_LEVEL", "DEBUG");
    const verbose = capture();
    createAppLogger({ destination: verbose.destination }).debug("shown");
    expect(verbose.entries().map((e) => e.msg)).toEqual(["shown"]);
  });

  it("reads LOG_LEVEL with info as the default; a wrong value or a short METRICS_TOKEN stops start-up", () => {
    expect(logLevel({})).toBe("info");
    expect(logLevel({ LOG_LEVEL: "trace" })).toBe("trace");
    expect(logLevel({ LOG_LEVEL: "loud" })).toBe("info");
    const secrets = { AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}` };
    expect(parseEnv({ NODE_ENV: "test", ...secrets }).LOG_LEVEL).toBe("info");
    expect(parseEnv({ NODE_ENV: "test", ...secrets, LOG_LEVEL: "silent" }).LOG_LEVEL).toBe("silent");
    expect(() => parseEnv({ NODE_ENV: "test", ...secrets, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ NODE_ENV: "test", ...secrets, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 24 characters/);
    expect(parseEnv({ NODE_ENV: "test", ...secrets, METRICS_TOKEN: "m".repeat(24) }).METRICS_TOKEN).toBe("m".repeat(24));
  });

  it("under Vitest, writes through console by level, so tests that read the console see the lines", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const infos = vi.spyOn(console, "log").mockImplementation(() => {});
    const log = createAppLogger({ level: "info" });
    log.error(`failed with ${REFRESH}`);
    log.warn("careful");
    log.info("fine");
    expect(errors).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(errors.mock.calls[0]![0]))).toMatchObject({ level: "error", msg: "failed with [REDACTED]" });
    expect(JSON.parse(String(warnings.mock.calls[0]![0]))).toMatchObject({ level: "warn", msg: "careful" });
    expect(JSON.parse(String(infos.mock.calls[0]![0]))).toMatchObject({ level: "info", msg: "fine" });
  });
});

describe("the runner's logger (a copy of the rules: the runner imports no app code)", () => {
  it("lets none of the same secrets through", () => {
    const out = capture();
    logSecrets(createRunnerLogger({ level: "info", destination: out.destination }) as unknown as ReturnType<typeof createAppLogger>);
    const text = out.lines.join("");
    // Its explicit key list is shorter (it holds no Amazon or session secrets of its own); the suffix
    // rule, the walk and the text masks cover the rest.
    for (const secret of ALL_SECRETS) expect(text, secret).not.toContain(secret);
    expect(out.entries().every((e) => e.service === "runner")).toBe(true);
  });
});
