// Login with Amazon token endpoint: authorization_code exchange (after consent) and refresh_token grant.
import { z } from "zod";
import { parseJsonOrUndefined } from "../util/parse-json";
import { realSleep, systemClock } from "./clock";
import { DEFAULT_RETRY, DEFAULT_USER_AGENT, type SpApiConfig } from "./config";
import { retryLoop } from "./retry-loop";
import { LwaError, redactSecrets, SellerDisconnectedError, SpApiNetworkError, type LwaGrantType } from "./errors";
import { recordSpApiCall } from "../observability/metrics";

export type LwaConfig = Pick<
  SpApiConfig,
  "lwaEndpoint" | "clientId" | "clientSecret" | "userAgent" | "clock" | "sleep" | "retry" | "fetch" | "random" | "onCall" | "requestTimeoutMs"
>;

export interface LwaAccessToken {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  /** Clock time (ms) when the token expires. */
  expiresAt: number;
}

export interface LwaTokens extends LwaAccessToken {
  refreshToken: string;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().default("bearer"),
  expires_in: z.coerce.number().int().positive().default(3600),
});

const errorResponse = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

/** LWA authorization_code grant: trade the `spapi_oauth_code` from the consent redirect for tokens. */
export async function exchangeAuthorizationCode(
  config: LwaConfig,
  input: { code: string; redirectUri: string },
): Promise<LwaTokens> {
  const res = await tokenRequest(config, "authorization_code", { code: input.code, redirect_uri: input.redirectUri }, [input.code]);
  if (!res.refresh_token) {
    throw new LwaError("invalid_response", "LWA answered without a refresh_token", 200, "authorization_code");
  }
  return { ...toAccessToken(config, res), refreshToken: res.refresh_token };
}

/**
 * LWA refresh_token grant. A rejected refresh token (`invalid_grant`) becomes SellerDisconnectedError:
 * the seller must consent again; nothing retries it.
 */
export async function refreshAccessToken(
  config: LwaConfig,
  input: { refreshToken: string; sellingPartnerId: string },
): Promise<LwaAccessToken> {
  try {
    const res = await tokenRequest(config, "refresh_token", { refresh_token: input.refreshToken }, [input.refreshToken]);
    return toAccessToken(config, res);
  } catch (e) {
    if (e instanceof LwaError && e.oauthError === "invalid_grant") {
      throw new SellerDisconnectedError(input.sellingPartnerId, e.description, e.status, e.requestId);
    }
    throw e;
  }
}

function toAccessToken(config: LwaConfig, res: z.infer<typeof tokenResponse>): LwaAccessToken {
  const now = (config.clock ?? systemClock).now();
  return { accessToken: res.access_token, tokenType: res.token_type, expiresIn: res.expires_in, expiresAt: now + res.expires_in * 1000 };
}

async function tokenRequest(
  config: LwaConfig,
  grantType: LwaGrantType,
  params: Record<string, string>,
  extraSecrets: string[],
): Promise<z.infer<typeof tokenResponse>> {
  const doFetch = config.fetch ?? fetch;
  const sleep = config.sleep ?? realSleep;
  const clock = config.clock ?? systemClock;
  const retry = { ...DEFAULT_RETRY, ...config.retry };
  const random = config.random ?? Math.random;
  const secrets = [config.clientSecret, ...extraSecrets];
  // Form-encoded body (sp-api.md §a.4); credentials go in the body, never in the URL.
  const body = new URLSearchParams({ grant_type: grantType, ...params, client_id: config.clientId, client_secret: config.clientSecret });

  return retryLoop<z.infer<typeof tokenResponse>>({ retry, sleep, random }, async (attempt) => {
    let res: Response;
    try {
      res = await doFetch(config.lwaEndpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
          accept: "application/json",
          "user-agent": config.userAgent ?? DEFAULT_USER_AGENT,
        },
        body: body.toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(config.requestTimeoutMs ?? 60_000),
      });
    } catch (cause) {
      recordSpApiCall("lwa", "network-error");
      config.onCall?.({ operation: "lwa", status: "network-error", attempt, at: clock.now() });
      return { retry: new SpApiNetworkError("lwa", attempt, redactCause(cause, secrets)) };
    }
    const requestId = res.headers.get("x-amzn-requestid") ?? undefined;
    recordSpApiCall("lwa", res.status);
    config.onCall?.({ operation: "lwa", status: res.status, requestId, attempt, at: clock.now() });
    const text = await res.text();
    const json = parseJsonOrUndefined(text);
    if (res.ok) {
      const parsed = tokenResponse.safeParse(json);
      if (parsed.success) return { value: parsed.data };
      throw new LwaError("invalid_response", "LWA answered 2xx without an access_token", res.status, grantType, requestId);
    }
    const err = errorResponse.safeParse(json);
    const error = new LwaError(
      err.success ? err.data.error : `http_${res.status}`,
      redactSecrets(err.success ? (err.data.error_description ?? "") : text.slice(0, 200), secrets),
      res.status,
      grantType,
      requestId,
    );
    if (error.retryable) return { retry: error };
    throw error;
  });
}

function redactCause(cause: unknown, secrets: string[]): Error {
  const msg = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new Error(redactSecrets(msg, secrets));
}
