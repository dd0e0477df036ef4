// Process-wide cache of LWA access tokens per seller grant, with one in-flight refresh per key so a
// burst of calls for a seller triggers a single token request.
import { createHash } from "node:crypto";

export interface CachedAccessToken {
  accessToken: string;
  /** Clock time (ms) when Amazon stops accepting it. */
  expiresAt: number;
}

export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedAccessToken>();
  private readonly inflight = new Map<string, Promise<CachedAccessToken>>();

  /**
   * Returns a token valid for at least `skewMs` more, refreshing through `refresh` otherwise.
   * Concurrent callers for the same key share one refresh.
   */
  async get(
    key: string,
    now: () => number,
    skewMs: number,
    refresh: () => Promise<CachedAccessToken>,
  ): Promise<CachedAccessToken> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - skewMs > now()) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = refresh()
        .then((t) => {
          this.tokens.set(key, t);
          return t;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Drops a token Amazon rejected (401/403), unless it was already replaced. */
  invalidate(key: string, accessToken?: string): void {
    const cached = this.tokens.get(key);
    if (cached && (accessToken === undefined || cached.accessToken === accessToken)) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }
}

/** Cache key for a seller's grant: the refresh token is hashed so the key is safe to hold anywhere. */
export function tokenCacheKey(lwaEndpoint: string, clientId: string, sellingPartnerId: string, refreshToken: string): string {
  const digest = createHash("sha256").update(refreshToken).digest("base64url").slice(0, 22);
  return `${lwaEndpoint}|${clientId}|${sellingPartnerId}|${digest}`;
}

let shared: AccessTokenCache | undefined;

export function sharedAccessTokenCache(): AccessTokenCache {
  shared ??= new AccessTokenCache();
  return shared;
}
