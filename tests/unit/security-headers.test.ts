// Response headers and the API's error surface: the pages' nonce CSP (proxy.ts), the fixed headers
// and log filter of next.config.mjs, JSON 405s for methods a route does not accept.
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { ignoreLoggingIncomingRequests } from "next/dist/server/dev/log-requests";
import nextConfig, { apiContentSecurityPolicy } from "@/next.config.mjs";
import { proxy } from "@/proxy";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";
import { otherMethods } from "@/lib/api/route-wrappers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("pages' Content-Security-Policy", () => {
  it("allows only scripts carrying the request's nonce, and no plugins, framing, foreign forms or base tags", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc123==", development: false, https: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
    expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("adds eval (React's dev tooling) only in development, and the HTTPS upgrade only over HTTPS", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", development: true, https: false }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ nonce: "n", development: false, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("uses a fresh 128-bit nonce per request", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("proxy.ts sets the policy on the response and passes it and the nonce to the page render, keeping x-request-path", () => {
    const response = proxy(new NextRequest("http://localhost:3000/connect-amazon?result=cancelled", { headers: { "x-nonce": "chosen-by-client" } }));
    const csp = response.headers.get("content-security-policy")!;
    const nonce = response.headers.get("x-middleware-request-x-nonce")!;
    expect(nonce).not.toBe("chosen-by-client");
    expect(csp).toContain(`'nonce-${nonce}'`);
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(response.headers.get("x-middleware-request-x-request-path")).toBe("/connect-amazon?result=cancelled");
    const again = proxy(new NextRequest("http://localhost:3000/dashboard"));
    expect(again.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
  });

  it("proxy.ts still refuses an off-site return path", () => {
    const response = proxy(new NextRequest("http://localhost:3000//evil.example/x"));
    expect(response.headers.get("x-middleware-request-x-request-path")).toBe("/dashboard");
  });
});

describe("next.config.mjs", () => {
  async function headersFor(nodeEnv: string) {
    vi.stubEnv("NODE_ENV", nodeEnv);
    vi.resetModules();
    try {
      const fresh = (await import("@/next.config.mjs")) as { default: typeof nextConfig };
      return await fresh.default.headers!();
    } finally {
      vi.unstubAllEnvs();
    }
  }

  it("sends the Permissions-Policy everywhere, HSTS in production only, and the strict API policy on /api", async () => {
    const production = await headersFor("production");
    const all = production.find((rule) => rule.source === "/:path*")!.headers;
    const value = (key: string) => all.find((header) => header.key === key)?.value;
    expect(value("Permissions-Policy")).toMatch(/(^|, )camera=\(\)/);
    expect(value("Permissions-Policy")).toMatch(/microphone=\(\)/);
    expect(value("Permissions-Policy")).toMatch(/geolocation=\(\)/);
    expect(value("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(value("X-Content-Type-Options")).toBe("nosniff");
    const api = production.find((rule) => rule.source === "/api/:path*")!.headers;
    expect(api).toEqual([{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }]);
    expect(apiContentSecurityPolicy).toMatch(/default-src 'none'/);
    const development = await headersFor("development");
    expect(development.find((rule) => rule.source === "/:path*")!.headers.map((h) => h.key)).not.toContain("Strict-Transport-Security");
  });

  it("keeps the Amazon callback's code and state (and any code/state/token URL) out of next dev's request log", () => {
    const ignored = (url: string) => ignoreLoggingIncomingRequests({ url } as never, nextConfig.logging as never);
    expect(ignored("/api/amazon/callback?spapi_oauth_code=ANcode123&state=s3cret&selling_partner_id=A1")).toBe(true);
    expect(ignored("/api/amazon/callback?error=access_denied")).toBe(true);
    expect(ignored("/reset-password?token=abc")).toBe(true);
    expect(ignored("/anything?x=1&code=abc")).toBe(true);
    expect(ignored("/dashboard")).toBe(false);
    expect(ignored("/signin?callbackUrl=%2Fdashboard")).toBe(false);
    expect(ignored("/api/amazon/connections")).toBe(false);
  });
});

describe("methods a route does not accept", () => {
  it("answer 405 in the JSON error shape with Allow, and OPTIONS lists the accepted ones", async () => {
    const { PUT, DELETE, OPTIONS } = otherMethods("GET", "POST");
    const refused = PUT(new Request("http://app/api/x", { method: "PUT" }));
    expect(refused.status).toBe(405);
    expect(refused.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(await refused.json()).toEqual({
      error: { code: "method_not_allowed", message: "This endpoint does not accept PUT. It accepts GET, POST, HEAD, OPTIONS." },
    });
    expect(DELETE(new Request("http://app/api/x", { method: "DELETE" })).status).toBe(405);
    const options = OPTIONS(new Request("http://app/api/x", { method: "OPTIONS" }));
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(Object.keys(otherMethods("POST")).sort()).toEqual(["DELETE", "GET", "OPTIONS", "PATCH", "PUT"]);
  });

  it("are exported by every API route", async () => {
    const routes = {
      "app/api/health/route": ["POST", "PUT", "PATCH", "DELETE"],
      "app/api/auth/signup/route": ["GET", "PUT", "PATCH", "DELETE"],
      "app/api/amazon/connections/[sellerConnectionId]/disconnect/route": ["GET", "PUT", "PATCH", "DELETE"],
      "app/api/runs/route": ["POST", "PUT", "PATCH", "DELETE"],
    } as const;
    for (const [path, methods] of Object.entries(routes)) {
      const route = (await import(`@/${path}`)) as Record<string, (request: Request) => Response | Promise<Response>>;
      for (const method of methods) {
        const response = await route[method]!(new Request("http://app/api", { method }));
        expect(response.status, `${method} ${path}`).toBe(405);
        expect((await response.json()).error.code).toBe("method_not_allowed");
      }
    }
  });
});
