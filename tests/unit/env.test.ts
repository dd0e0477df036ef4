import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/app",
  AUTH_SECRET: "x".repeat(40),
  TOKEN_ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32, 1).toString("base64"),
  INNGEST_SIGNING_KEY: "signkey-prod-abc",
  INNGEST_EVENT_KEY: "evt",
} as const;

describe("environment", () => {
  beforeEach(() => {
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "env-test-"));
  });

  it("names a malformed variable in the start-up error", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://nope" })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: "mysql://nope" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ AMAZON_REGION: "moon" })).toThrow(/AMAZON_REGION/);
  });

  it("requires the database, secrets and Inngest keys in production, naming each", () => {
    try {
      parseEnv({ NODE_ENV: "production" });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ["DATABASE_URL", "AUTH_SECRET", "TOKEN_ENCRYPTION_KEYS", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]) {
        expect(message).toContain(name);
      }
    }
    expect(parseEnv({ ...production }).DATABASE_URL).toBe(production.DATABASE_URL);
  });

  it("refuses INNGEST_DEV in production because it turns signature checks off", () => {
    expect(() => parseEnv({ ...production, INNGEST_DEV: "1" })).toThrow(/INNGEST_DEV/);
  });

  it("generates local secrets once, readable by the owner only, and reuses them", () => {
    const first = parseEnv({ DATA_DIR: process.env.DATA_DIR });
    const second = parseEnv({ DATA_DIR: process.env.DATA_DIR });
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.TOKEN_ENCRYPTION_KEYS).toBe(first.TOKEN_ENCRYPTION_KEYS);
    const mode = statSync(path.join(process.env.DATA_DIR!, "secrets.json")).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("prefers secrets from the environment over generated ones", () => {
    const env = parseEnv({ AUTH_SECRET: "y".repeat(48), TOKEN_ENCRYPTION_KEYS: "k9:abc" });
    expect(env.AUTH_SECRET).toBe("y".repeat(48));
    expect(env.TOKEN_ENCRYPTION_KEYS).toBe("k9:abc");
  });
});
