import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/auth-options";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, sessionCookieConfig, useSecureCookies } from "@/lib/auth/session-config";
import { env } from "@/lib/env";

describe("session cookie settings", () => {
  it("are Secure (and __Secure- prefixed) in production and behind https, plain on local http", () => {
    expect(useSecureCookies({ NODE_ENV: "production", APP_URL: "http://localhost:3100" })).toBe(true);
    expect(useSecureCookies({ NODE_ENV: "development", APP_URL: "https://app.example.com" })).toBe(true);
    expect(useSecureCookies({ NODE_ENV: "development", APP_URL: "http://localhost:3000" })).toBe(false);
    expect(sessionCookieConfig({ NODE_ENV: "production", APP_URL: "https://app.example.com" })).toEqual({
      name: "__Secure-next-auth.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
    expect(sessionCookieConfig({ NODE_ENV: "test", APP_URL: "http://localhost:3000" }).name).toBe("next-auth.session-token");
  });

  it("are what next-auth is configured with: 7 days, renewed daily, the same cookie", () => {
    expect(SESSION_MAX_AGE_SECONDS).toBe(7 * 24 * 3600);
    expect(SESSION_UPDATE_AGE_SECONDS).toBe(24 * 3600);
    const options = authOptions();
    expect(options.session).toMatchObject({ strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS });
    expect(options.useSecureCookies).toBe(useSecureCookies(env()));
    expect(options.cookies?.sessionToken).toEqual(sessionCookieConfig(env()));
  });
});

describe("account deletion reaches everything a user owns", () => {
  // Every relation to User or SellerConnection must cascade, or deleting an account would either fail
  // (a foreign key) or leave the data behind. A new model with such a relation is checked here too.
  const dir = path.resolve("prisma/schema");
  const relations = readdirSync(dir)
    .filter((file) => file.endsWith(".prisma"))
    .flatMap((file) =>
      readFileSync(path.join(dir, file), "utf8")
        .split("\n")
        .filter((line) => /^\s*\w+\s+(User|SellerConnection)\??\s+@relation\(/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );

  it("finds the relations (the check is not vacuous)", () => {
    expect(relations.length).toBeGreaterThanOrEqual(4);
  });

  it.each(relations)("%s cascades on delete", (relation) => {
    expect(relation).toMatch(/onDelete:\s*Cascade/);
  });
});
