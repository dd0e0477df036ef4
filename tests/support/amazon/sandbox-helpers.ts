// Helpers for tests that drive the SP-API sandbox over HTTP: client config on the sandbox's scaled
// clock, the consent form walked like a browser, and usage-plan checks over the sandbox call log.
import { AccessTokenCache } from "../../../lib/amazon/access-token-cache";
import { realSleep, type Clock } from "../../../lib/amazon/clock";
import type { CallEvent, SpApiConfig } from "../../../lib/amazon/config";
import { TokenBucketRateLimiter } from "../../../lib/amazon/rate-limit/token-bucket";

export interface SandboxLike {
  url: string;
  lwaTokenUrl: string;
  consentUrl: string;
  sellers: Array<{ sellingPartnerId: string; marketplaceIds: string[]; name: string }>;
  clock: { now(): Date | number };
  calls(): Array<{ time: string; operation: string; sellingPartnerId: string | null; status: number }>;
}

export const SANDBOX_APP = {
  clientId: "amzn1.application-oa2-client.sandbox",
  clientSecret: "sandbox-secret",
  appId: "amzn1.sp.solution.sandbox",
  redirectUri: "http://localhost:3000/api/amazon/callback",
};

/** Client config whose clock is the sandbox's and whose sleeps shrink by the time scale. */
export function sandboxConfig(sb: SandboxLike, scale: number, extra: Partial<SpApiConfig> = {}) {
  const clock: Clock = { now: () => Number(sb.clock.now()) };
  const sleep = (ms: number, signal?: AbortSignal) => realSleep(ms / scale, signal);
  const events: CallEvent[] = [];
  const config: SpApiConfig = {
    spApiEndpoint: sb.url,
    lwaEndpoint: sb.lwaTokenUrl,
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    clock,
    sleep,
    rateLimiter: new TokenBucketRateLimiter({ clock, sleep }),
    tokenCache: new AccessTokenCache(),
    // Backoff in sandbox time: 1 s base, 60 s cap (a second or less of real time at scale ≥ 60).
    retry: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    onCall: (e) => events.push(e),
    ...extra,
  };
  return { config, events, clock, sleep };
}

/** Walks the consent page like a browser: GET the page, submit its form with Confirm, read the redirect. */
export async function consent(sb: SandboxLike, sellingPartnerId: string, state = "st-" + Math.random().toString(36).slice(2)) {
  const page = new URL(sb.consentUrl);
  page.searchParams.set("application_id", SANDBOX_APP.appId);
  page.searchParams.set("state", state);
  page.searchParams.set("redirect_uri", SANDBOX_APP.redirectUri);
  page.searchParams.set("selling_partner_id", sellingPartnerId);
  page.searchParams.set("version", "beta");
  const html = await (await fetch(page)).text();
  const form = /<form[^>]*method="(\w+)"[^>]*action="([^"]+)"/i.exec(html);
  if (!form) throw new Error(`no consent form in page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1]!, decodeHtml(m[2]!));
  fields.set("selling_partner_id", sellingPartnerId);
  fields.set("action", "confirm");
  const res = await fetch(new URL(form[2]!, page), {
    method: form[1]!.toUpperCase(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`consent did not redirect (${res.status})`);
  return new URL(location);
}

function decodeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * The most calls the sandbox saw in any window, minus what a (rate, burst) bucket allows there.
 * ≤ 0 means the plan was never exceeded.
 */
export function worstPlanExcess(times: number[], rate: number, burst: number): number {
  const t = [...times].sort((a, b) => a - b);
  let worst = -Infinity;
  for (let i = 0; i < t.length; i++) {
    for (let j = i; j < t.length; j++) {
      worst = Math.max(worst, j - i + 1 - (burst + (rate * (t[j]! - t[i]!)) / 1000));
    }
  }
  return worst;
}
