// The production build's security surface in a real browser: pages run under the nonce CSP without a
// single violation, the API answers unknown paths and methods in JSON, and the client address comes
// from the connection, not from headers the client sends.
import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import pg from "pg";

test("pages carry a per-request nonce CSP, Next's scripts carry the nonce and nothing is blocked", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      ((window as unknown as { __violations?: string[] }).__violations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const first = await page.goto("/signin");
  const csp = first!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(first!.headers()["strict-transport-security"]).toContain("max-age=");
  expect(first!.headers()["permissions-policy"]).toContain("camera=()");

  // Every script tag the server renders carries that response's nonce.
  const html = await page.request.get("/signin");
  const htmlNonce = /'nonce-([^']+)'/.exec(html.headers()["content-security-policy"]!)![1]!;
  expect(htmlNonce).not.toBe(nonce);
  const tags = (await html.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${htmlNonce}"`);
  // The app hydrated: Next's client runtime ran.
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));

  const second = await page.goto("/signup");
  expect(/'nonce-([^']+)'/.exec(second!.headers()["content-security-policy"]!)![1]).not.toBe(nonce);
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));

  expect(violations).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])).toEqual([]);
});

test("unknown API paths and methods answer the JSON error shape", async ({ request }) => {
  const missing = await request.get("/api/no-such-endpoint");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: "not_found", message: "No API endpoint at this path." } });
  expect(missing.headers()["content-security-policy"]).toContain("default-src 'none'");

  const wrongMethod = await request.delete("/api/health");
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect((await wrongMethod.json()).error.code).toBe("method_not_allowed");
});

test("the client address is the connection's peer: spoofed forwarding headers are not counted as addresses", async ({ request }) => {
  const claimed = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const marker = randomUUID();
  const response = await request.get(`/api/no-such-endpoint-${marker}`, {
    headers: { "x-forwarded-for": claimed, "x-client-address": claimed, "x-client-address-token": marker },
  });
  expect(response.status()).toBe(404);
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>(`SELECT "key" FROM "RateLimitCounter" WHERE "key" LIKE 'api:ip:%'`);
    const keys = rows.map((row) => row.key);
    expect(keys).not.toContain(`api:ip:${claimed}`);
    expect(keys).not.toContain("api:ip:unknown");
    // This machine's loopback address, IPv4 or IPv6 (counted per /64).
    expect(keys.some((key) => key === "api:ip:127.0.0.1" || key === "api:ip:0:0:0:0::/64")).toBe(true);
  } finally {
    await client.end();
  }
});
