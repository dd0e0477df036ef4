// LWA state: one-time authorization codes, refresh tokens and access tokens, all bound to a selling
// partner, with lifetimes measured on the sandbox clock.
import { randomBytes } from "node:crypto";
import type { SandboxClock } from "../clock";

export const CODE_LIFETIME_MS = 5 * 60_000;
export const ACCESS_TOKEN_LIFETIME_S = 3600;

interface CodeRecord {
  sellingPartnerId: string;
  redirectUri: string;
  expiresMs: number;
  used: boolean;
}
interface RefreshRecord {
  sellingPartnerId: string;
  revoked: boolean;
}
interface AccessRecord {
  sellingPartnerId: string;
  refreshToken: string;
  expiresMs: number;
}

export type AccessCheck =
  | { ok: true; sellingPartnerId: string }
  | { ok: false; reason: "missing" | "expired" | "invalid" | "revoked" };

const token = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString("base64url")}`;

export class TokenStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  private readonly revokedSellers = new Set<string>();

  constructor(private readonly clock: SandboxClock) {}

  issueCode(sellingPartnerId: string, redirectUri: string): string {
    const code = token("AN", 15);
    this.codes.set(code, { sellingPartnerId, redirectUri, expiresMs: this.clock.nowMs() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** Redeems a code once; null for unknown, expired, reused or redirect-mismatched codes (all invalid_grant at Amazon). */
  redeemCode(code: string, redirectUri: string | undefined): { sellingPartnerId: string } | null {
    const record = this.codes.get(code);
    if (!record || record.used || this.clock.nowMs() > record.expiresMs) return null;
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) return null;
    record.used = true;
    // A new consent re-grants access after a revocation.
    this.revokedSellers.delete(record.sellingPartnerId);
    return { sellingPartnerId: record.sellingPartnerId };
  }

  issueRefreshToken(sellingPartnerId: string): string {
    const refresh = token("Atzr|", 96);
    this.refreshTokens.set(refresh, { sellingPartnerId, revoked: false });
    return refresh;
  }

  refreshStatus(refreshToken: string): { sellingPartnerId: string } | "invalid" | "revoked" {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return "invalid";
    if (record.revoked) return "revoked";
    return { sellingPartnerId: record.sellingPartnerId };
  }

  issueAccessToken(sellingPartnerId: string, refreshToken: string): string {
    const access = token("Atza|", 96);
    this.accessTokens.set(access, {
      sellingPartnerId,
      refreshToken,
      expiresMs: this.clock.nowMs() + ACCESS_TOKEN_LIFETIME_S * 1000,
    });
    return access;
  }

  checkAccess(accessToken: string | undefined): AccessCheck {
    if (!accessToken) return { ok: false, reason: "missing" };
    const record = this.accessTokens.get(accessToken);
    if (!record) return { ok: false, reason: "invalid" };
    const refresh = this.refreshTokens.get(record.refreshToken);
    if (!refresh || refresh.revoked) return { ok: false, reason: "revoked" };
    if (this.clock.nowMs() >= record.expiresMs) return { ok: false, reason: "expired" };
    return { ok: true, sellingPartnerId: record.sellingPartnerId };
  }

  /** The seller removed the app: every refresh token (and so every access token) of theirs stops working. */
  revoke(sellingPartnerId: string): void {
    for (const record of this.refreshTokens.values()) {
      if (record.sellingPartnerId === sellingPartnerId) record.revoked = true;
    }
    this.revokedSellers.add(sellingPartnerId);
  }

  /** Test helper: a valid refresh token without going through the consent page. */
  grant(sellingPartnerId: string): { refreshToken: string; accessToken: string } {
    const refreshToken = this.issueRefreshToken(sellingPartnerId);
    return { refreshToken, accessToken: this.issueAccessToken(sellingPartnerId, refreshToken) };
  }
}
