// The pages' Content-Security-Policy, built per request by proxy.ts around a fresh nonce. Next.js
// reads the nonce from the request's CSP header and puts it on its own scripts (pages are rendered
// per request: app/layout.tsx is dynamic), so only those scripts run: 'strict-dynamic' lets them load
// the app's chunks, and nothing injected into a page can execute. The API's fixed policy and the
// other security headers are in next.config.mjs.

export interface CspOptions {
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids, and dev styles are injected inline. */
  development: boolean;
  /** Served over HTTPS: ask the browser to fetch any stray http:// subresource over HTTPS. */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, development, https }: CspOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", ...(development ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    // Sign-in, sign-up and disconnect post with fetch(); Connect Amazon is a link and a redirect
    // (the consent page is Amazon's own document), so no form ever posts to another origin.
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ["frame-src", "'none'"],
    ["worker-src", "'self'"],
    ["manifest-src", "'self'"],
    ...(https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** 128 random bits, base64: a new one for every page request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
