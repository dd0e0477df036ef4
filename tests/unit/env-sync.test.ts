// The sync's settings in the environment: the schedule, background sync and the self-authorized
// connection's three parts, which only make sense together.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parseEnv, syncSchedule } from "@/lib/env";

describe("sync settings in the environment", () => {
  beforeEach(() => {
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "env-sync-test-"));
  });

  it("defaults to every 6 hours with background sync on, and rejects what is not a cron expression", () => {
    const env = parseEnv({});
    expect(env.SYNC_CRON).toBe("0 */6 * * *");
    expect(env.ENABLE_BACKGROUND_SYNC).toBe(true);
    expect(parseEnv({ ENABLE_BACKGROUND_SYNC: "false" }).ENABLE_BACKGROUND_SYNC).toBe(false);
    expect(parseEnv({ SYNC_CRON: "TZ=Europe/Berlin 0 3 * * *" }).SYNC_CRON).toBe("TZ=Europe/Berlin 0 3 * * *");
    expect(() => parseEnv({ SYNC_CRON: "every six hours" })).toThrow(/SYNC_CRON/);
  });

  it("asks for all three parts of a self-authorized connection, naming the missing ones", () => {
    expect(() => parseEnv({ AMAZON_SPAPI_REFRESH_TOKEN: "Atzr|abc" })).toThrow(/AMAZON_SELLER_ID[\s\S]*AMAZON_SPAPI_USER_EMAIL|AMAZON_SPAPI_USER_EMAIL[\s\S]*AMAZON_SELLER_ID/);
    expect(() => parseEnv({ AMAZON_SPAPI_REFRESH_TOKEN: "Atzr|abc", AMAZON_SELLER_ID: "A1B2C3D4E5F6G7" })).toThrow(/AMAZON_SPAPI_USER_EMAIL/);
    expect(() => parseEnv({ AMAZON_SPAPI_REFRESH_TOKEN: "Atzr|abc", AMAZON_SELLER_ID: "not an id", AMAZON_SPAPI_USER_EMAIL: "me@example.test" })).toThrow(/AMAZON_SELLER_ID/);
    const env = parseEnv({ AMAZON_SPAPI_REFRESH_TOKEN: "Atzr|abc", AMAZON_SELLER_ID: "A1B2C3D4E5F6G7", AMAZON_SPAPI_USER_EMAIL: "me@example.test" });
    expect(env.AMAZON_SELLER_ID).toBe("A1B2C3D4E5F6G7");
  });

  it("never puts the refresh token in the error it raises", () => {
    try {
      parseEnv({ AMAZON_SPAPI_REFRESH_TOKEN: "Atzr|very-secret-token" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("very-secret-token");
    }
  });

  it("reads the schedule alone where modules load, without the production secrets env() requires (next build)", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow();
    expect(syncSchedule({ NODE_ENV: "production" })).toEqual({ SYNC_CRON: "0 */6 * * *", ENABLE_BACKGROUND_SYNC: true });
    expect(syncSchedule({ SYNC_CRON: "*/30 * * * *", ENABLE_BACKGROUND_SYNC: "false" })).toEqual({ SYNC_CRON: "*/30 * * * *", ENABLE_BACKGROUND_SYNC: false });
    expect(() => syncSchedule({ SYNC_CRON: "sometimes" })).toThrow(/SYNC_CRON/);
  });
});
