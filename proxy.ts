// Passes the requested path to server components (a layout cannot read it otherwise), so the
// sign-in redirect of a protected page returns the visitor to that page afterwards.
import { NextResponse, type NextRequest } from "next/server";
import { safeRedirectPath } from "./lib/http/safe-redirect";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-request-path", safeRedirectPath(request.nextUrl.pathname + request.nextUrl.search));
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|favicon.ico).*)"] };
