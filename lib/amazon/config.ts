// The configuration the SP-API client and LWA client take. Nothing here reads process.env: the app's
// lib/env.ts maps env vars into this object.
import type { AccessTokenCache } from "./access-token-cache";
import type { Clock, Sleep } from "./clock";
import type { RateLimiter } from "./rate-limit/rate-limiter";
import { REGION_DEFAULTS, type Region } from "./regions";
import type { OperationName } from "./rate-limit/usage-plans";


export interface RetryOptions {
  /** Total attempts per call, first included. */
  maxAttempts: number;
  /** First backoff; doubles each attempt. */
  baseDelayMs: number;
  /** Cap for one backoff. */
  maxDelayMs: number;
}

/** One line per HTTP exchange for logs/metrics; holds no token or secret. */
export interface CallEvent {
  operation: OperationName | "lwa" | "reportDownload";
  sellingPartnerId?: string;
  status: number | "network-error";
  requestId?: string;
  attempt: number;
  at: number;
}

export interface SpApiConfig {
  spApiEndpoint: string;
  lwaEndpoint: string;
  clientId: string;
  clientSecret: string;
  userAgent?: string;
  clock?: Clock;
  sleep?: Sleep;
  retry?: Partial<RetryOptions>;
  fetch?: typeof fetch;
  /** Defaults to the process-wide limiter (sharedRateLimiter()). */
  rateLimiter?: RateLimiter;
  /** Defaults to the process-wide access-token cache. */
  tokenCache?: AccessTokenCache;
  /**
   * Longest a call may wait (on the clock) for a rate-limit token before throwing RateLimitWaitError
   * instead. Default: wait as long as it takes. Set it in request-bound work (route handlers, durable
   * steps) so a createReport queue does not hold a request open for minutes.
   */
  maxRateLimitWaitMs?: number;
  /** Refresh an access token this long before it expires. Default 5 min. */
  refreshSkewMs?: number;
  /** Real-time limit for one HTTP exchange. Default 60 s. */
  requestTimeoutMs?: number;
  /** Source of jitter; tests may fix it. */
  random?: () => number;
  onCall?: (event: CallEvent) => void;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };
export const DEFAULT_USER_AGENT = "fba-recovery/0.1 (Language=TypeScript; Platform=Node.js)";

/** Equal-jitter exponential backoff: half fixed, half random, capped. `attempt` starts at 1. */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number): number {
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}

export interface RegionConfigInput {
  region: Region;
  clientId: string;
  clientSecret: string;
  /** Each endpoint can be overridden on its own (e.g. the local sandbox). */
  spApiEndpoint?: string;
  lwaEndpoint?: string;
}

/** Fills endpoints from the region table, keeping any override. */
export function spApiConfigForRegion(input: RegionConfigInput, extra: Partial<SpApiConfig> = {}): SpApiConfig {
  const d = REGION_DEFAULTS[input.region];
  return {
    ...extra,
    spApiEndpoint: input.spApiEndpoint ?? d.spApiEndpoint,
    lwaEndpoint: input.lwaEndpoint ?? d.lwaEndpoint,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
  };
}
