// POST /auth/o2/token — Login with Amazon token endpoint (authorization_code and refresh_token grants).
import type { IncomingMessage } from "node:http";
import { LwaError } from "../http/errors";
import { readBody } from "../http/respond";
import type { AppConfig } from "./app-config";
import { ACCESS_TOKEN_LIFETIME_S, type TokenStore } from "./token-store";

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
}

const missing = (name: string) => new LwaError(400, "invalid_request", `The request is missing a required parameter : ${name}`);

export async function handleTokenRequest(req: IncomingMessage, app: AppConfig, tokens: TokenStore): Promise<TokenResponse> {
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (!contentType.startsWith("application/x-www-form-urlencoded")) {
    throw new LwaError(400, "invalid_request", "The Content-Type must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(await readBody(req));
  const grantType = form.get("grant_type");
  if (!grantType) throw missing("grant_type");

  let clientId = form.get("client_id");
  let clientSecret = form.get("client_secret");
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    clientId = id ?? null;
    clientSecret = secret ?? null;
  }
  if (!clientId) throw missing("client_id");
  if (clientId !== app.clientId || clientSecret !== app.clientSecret) {
    throw new LwaError(401, "invalid_client", "Client authentication failed");
  }

  if (grantType === "authorization_code") {
    const code = form.get("code");
    if (!code) throw missing("code");
    // The seller comes with the code; a selling_partner_id in this form (or on the redirect) is ignored.
    const refresh = tokens.exchangeCode(code, form.get("redirect_uri") ?? undefined);
    if (!refresh) throw new LwaError(400, "invalid_grant", "The request has an invalid grant parameter : code");
    return bearer(tokens.issueAccessToken(refresh), refresh);
  }

  if (grantType === "refresh_token") {
    const refresh = form.get("refresh_token");
    if (!refresh) throw missing("refresh_token");
    const status = tokens.refreshStatus(refresh);
    if (status === "invalid") throw new LwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    if (status === "revoked") {
      throw new LwaError(
        400,
        "invalid_grant",
        "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
      );
    }
    return bearer(tokens.issueAccessToken(refresh), refresh);
  }

  throw new LwaError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server");
}

const bearer = (access: string, refresh: string): TokenResponse => ({
  access_token: access,
  refresh_token: refresh,
  token_type: "bearer",
  expires_in: ACCESS_TOKEN_LIFETIME_S,
});
