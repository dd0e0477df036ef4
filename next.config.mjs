// Security headers for every response (the pages' nonce-based Content-Security-Policy is set per
// request in proxy.ts; the API's fixed one is here), and request logging that keeps OAuth codes and
// other one-time secrets in URLs out of the terminal.
const production = process.env.NODE_ENV === "production";

/** Browser features the app never uses, switched off for it and anything it might embed. */
export const permissionsPolicy = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "encrypted-media=()",
  "fullscreen=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "picture-in-picture=()",
  "publickey-credentials-get=()",
  "screen-wake-lock=()",
  "usb=()",
  "xr-spatial-tracking=()",
].join(", ");

/** API responses are JSON (and next-auth's few built-in pages): nothing may run, load or frame them. */
export const apiContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Requests `next dev` does not log (`next start` logs none): the Amazon OAuth callback carries the
 * authorization code and state in its query, and any URL with a code, state or token parameter is
 * treated the same way.
 */
export const unloggedRequests = [/^\/api\/amazon\/callback(?:[/?]|$)/, /[?&](?:code|spapi_oauth_code|state|token|mws_auth_token)=/i];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The build checks the app's own code; `npm run typecheck` checks everything (tests, runner, sandbox).
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Native and wasm packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "@prisma/schema-engine-wasm", "pg", "prom-client", "pg-copy-streams"],
  logging: { incomingRequests: { ignore: unloggedRequests } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: permissionsPolicy },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          // Production only: a browser that saw it refuses plain HTTP for the host for two years.
          ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
        ],
      },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
