// LWA state: one-time authorization codes, refresh tokens and access tokens, with lifetimes measured on
// the sandbox clock. The selling partner is recorded once, on the code, when the seller consents; a
// refresh token takes it from its code and an access token from its refresh token, so no later request
// can name a different seller (the redirect's selling_partner_id is only a copy and can be forged).
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
  /** The seller is the refresh token's: an access token carries no seller of its own. */
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

  constructor(private readonly clock: SandboxClock) {}

  issueCode(sellingPartnerId: string, redirectUri: string): string {
    const code = token("AN", 15);
    this.codes.set(code, { sellingPartnerId, redirectUri, expiresMs: this.clock.nowMs() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /**
   * Redeems a code once for a refresh token of the seller who consented; null for unknown, expired,
   * reused or redirect-mismatched codes (all invalid_grant at Amazon).
   */
  exchangeCode(code: string, redirectUri: string | undefined): string | null {
    const record = this.codes.get(code);
    if (!record || record.used || this.clock.nowMs() > record.expiresMs) return null;
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) return null;
    record.used = true;
    // A fresh, unrevoked refresh token is what re-grants access after a revocation.
    return this.issueRefreshToken(record.sellingPartnerId);
  }

  private issueRefreshToken(sellingPartnerId: string): string {
    const refresh = token("Atzr|", 96);
    this.refreshTokens.set(refresh, { sellingPartnerId, revoked: false });
    return refresh;
  }

  refreshStatus(refreshToken: string): "ok" | "invalid" | "revoked" {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return "invalid";
    return record.revoked ? "revoked" : "ok";
  }

  /** An access token for a known refresh token (check refreshStatus first). */
  issueAccessToken(refreshToken: string): string {
    if (!this.refreshTokens.has(refreshToken)) throw new Error("unknown refresh token");
    const access = token("Atza|", 96);
    this.accessTokens.set(access, { refreshToken, expiresMs: this.clock.nowMs() + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return access;
  }

  checkAccess(accessToken: string | undefined): AccessCheck {
    if (!accessToken) return { ok: false, reason: "missing" };
    const record = this.accessTokens.get(accessToken);
    if (!record) return { ok: false, reason: "invalid" };
    const refresh = this.refreshTokens.get(record.refreshToken);
    if (!refresh || refresh.revoked) return { ok: false, reason: "revoked" };
    if (this.clock.nowMs() >= record.expiresMs) return { ok: false, reason: "expired" };
    return { ok: true, sellingPartnerId: refresh.sellingPartnerId };
  }

  /** The seller removed the app: every refresh token (and so every access token) of theirs stops working. */
  revoke(sellingPartnerId: string): void {
    for (const record of this.refreshTokens.values()) {
      if (record.sellingPartnerId === sellingPartnerId) record.revoked = true;
    }
  }

  /** Test helper: a valid refresh token without going through the consent page. */
  grant(sellingPartnerId: string): { refreshToken: string; accessToken: string } {
    const refreshToken = this.issueRefreshToken(sellingPartnerId);
    return { refreshToken, accessToken: this.issueAccessToken(refreshToken) };
  }
}
