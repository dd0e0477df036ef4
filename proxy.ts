// Runs before every page (not the API, not static files). It passes the requested path to server
// components (a layout cannot read it otherwise), so the sign-in redirect of a protected page returns
// the visitor to that page afterwards; and it sets the page's Content-Security-Policy around a fresh
// nonce, which Next.js reads from the request header and puts on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "./lib/http/content-security-policy";
import { safeRedirectPath } from "./lib/http/safe-redirect";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:",
  });
  const headers = new Headers(request.headers);
  headers.set("x-request-path", safeRedirectPath(request.nextUrl.pathname + request.nextUrl.search));
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = { matcher: ["/((?!api/|_next/|favicon.ico).*)"] };
