// The app's Amazon settings from the environment: the one place that maps AMAZON_* variables onto
// the SP-API client's configuration. Every endpoint can be overridden on its own (the sandbox uses
// all of them); unset ones fall back to the region's real Amazon hosts.
import { spApiConfigForRegion, type SpApiConfig } from "../amazon/config";
import { AmazonNotConfiguredError } from "../amazon/errors";
import { PostgresRateLimiter, postgresRateLimiter } from "../amazon/rate-limit/postgres-bucket";
import { REGION_DEFAULTS, type Region } from "../amazon/regions";
import { parseKeyring, type Keyring } from "../crypto/token-cipher";
import { env } from "../env";
import { amazonTime } from "../sync/amazon-time";

export interface AmazonApp {
  region: Region;
  appId: string;
  consentUrl: string;
  redirectUri: string;
  isDraft: boolean;
  /** The SP-API endpoint is not Amazon's production host (our sandbox, Amazon's sandbox): its data is marked `isSandbox`. */
  isSandbox: boolean;
  spApi: SpApiConfig;
}

/** The configured Amazon app, or AmazonNotConfiguredError naming what is missing (a 503 in a route, not retried in a step). */
export function amazonAppOrThrow(): AmazonApp {
  const e = env();
  const missing = (["AMAZON_APP_ID", "AMAZON_CLIENT_ID", "AMAZON_CLIENT_SECRET"] as const).filter((name) => !e[name]);
  if (missing.length > 0) {
    throw new AmazonNotConfiguredError(missing);
  }
  const region = e.AMAZON_REGION;
  return {
    region,
    appId: e.AMAZON_APP_ID!,
    consentUrl: e.AMAZON_CONSENT_URL ?? REGION_DEFAULTS[region].consentUrl,
    redirectUri: e.AMAZON_REDIRECT_URI ?? new URL("/api/amazon/callback", e.APP_URL).toString(),
    isDraft: e.AMAZON_APP_IS_DRAFT,
    isSandbox: !!e.AMAZON_SPAPI_ENDPOINT && new URL(e.AMAZON_SPAPI_ENDPOINT).origin !== new URL(REGION_DEFAULTS[region].spApiEndpoint).origin,
    spApi: spApiConfigForRegion(
      {
        region,
        clientId: e.AMAZON_CLIENT_ID!,
        clientSecret: e.AMAZON_CLIENT_SECRET!,
        spApiEndpoint: e.AMAZON_SPAPI_ENDPOINT,
        lwaEndpoint: e.AMAZON_LWA_ENDPOINT,
      },
      // Usage plans are per seller, not per process: every app instance shares one set of buckets.
      // A time-scaled sandbox refills its buckets faster and reads another clock: follow it.
      { rateLimiter: scaledRateLimiter(), clock: amazonTime().clock, sleep: amazonTime().sleep },
    ),
  };
}

let scaledLimiter: PostgresRateLimiter | undefined;
function scaledRateLimiter(): PostgresRateLimiter {
  const scale = amazonTime().scale;
  if (scale === 1) return postgresRateLimiter();
  scaledLimiter ??= new PostgresRateLimiter({ rateScale: scale });
  return scaledLimiter;
}

let keyring: Keyring | undefined;
export function tokenKeyring(): Keyring {
  keyring ??= parseKeyring(env().TOKEN_ENCRYPTION_KEYS);
  return keyring;
}
