// Seller Central look-alike consent page. Confirm redirects with spapi_oauth_code/state/selling_partner_id
// exactly as Amazon does; Cancel redirects with OAuth-style error=access_denied plus state (our choice:
// Amazon's own cancel behaviour is not documented). Bad app id / redirect_uri never redirect.
import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeHtml, readBody, sendHtml } from "../http/respond";
import type { AppConfig } from "./app-config";
import type { TokenStore } from "./token-store";

export interface ConsentSeller {
  sellingPartnerId: string;
  name: string;
}

interface ConsentRequest {
  applicationId: string | null;
  state: string | null;
  redirectUri: string | null;
  version: string | null;
}

function validate(app: AppConfig, r: ConsentRequest): { error: string } | { redirectUri: string } {
  if (!r.applicationId || r.applicationId !== app.appId) {
    return { error: "We could not find the application you are trying to authorize (unknown application_id)." };
  }
  if (!app.published && r.version !== "beta") {
    return { error: "This application is in Draft status and can only be authorized with version=beta." };
  }
  const redirectUri = r.redirectUri ?? app.redirectUris[0];
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    return { error: "The redirect_uri is not registered for this application." };
  }
  if (!r.state) return { error: "The state parameter is required." };
  return { redirectUri };
}

function errorPage(res: ServerResponse, message: string): void {
  sendHtml(
    res,
    400,
    `<!doctype html><html><head><title>Amazon Seller Central - Error</title></head><body style="font-family:Arial,sans-serif;margin:40px">
<h1>We're sorry</h1><p id="error">${escapeHtml(message)}</p><p>Error code: MD1000</p></body></html>`,
  );
}

export function renderConsent(res: ServerResponse, url: URL, app: AppConfig, sellers: ConsentSeller[]): void {
  const r: ConsentRequest = {
    applicationId: url.searchParams.get("application_id"),
    state: url.searchParams.get("state"),
    redirectUri: url.searchParams.get("redirect_uri"),
    version: url.searchParams.get("version"),
  };
  const checked = validate(app, r);
  if ("error" in checked) return errorPage(res, checked.error);
  const preselected = url.searchParams.get("selling_partner_id") ?? sellers[0]?.sellingPartnerId;
  const options = sellers
    .map(
      (s) =>
        `<option value="${escapeHtml(s.sellingPartnerId)}"${s.sellingPartnerId === preselected ? " selected" : ""}>${escapeHtml(s.name)} (${escapeHtml(s.sellingPartnerId)})</option>`,
    )
    .join("");
  const hidden = (name: string, value: string | null) =>
    value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  sendHtml(
    res,
    200,
    `<!doctype html><html><head><title>Amazon Seller Central - Authorize ${escapeHtml(app.appName)}</title>
<meta name="referrer" content="no-referrer"></head>
<body style="font-family:Arial,sans-serif;margin:40px;max-width:640px">
<div style="background:#232f3e;color:#fff;padding:12px 16px;font-weight:bold">amazon seller central <span style="font-weight:normal">(SP-API sandbox)</span></div>
<h1 style="font-size:22px">Authorize <span id="app-name">${escapeHtml(app.appName)}</span></h1>
<p><b>${escapeHtml(app.appName)}</b> is requesting access to your selling account data through the Selling Partner API.
By clicking Confirm you allow it to access the data of the account below in this region.</p>
<form method="post" action="/apps/authorize/confirm">
${hidden("application_id", r.applicationId)}${hidden("state", r.state)}${hidden("redirect_uri", checked.redirectUri)}${hidden("version", r.version)}
<label for="selling_partner_id">Selling account</label>
<select id="selling_partner_id" name="selling_partner_id">${options}</select>
<p><button type="submit" name="action" value="confirm" id="confirm">Confirm</button>
<button type="submit" name="action" value="cancel" id="cancel">Cancel</button></p>
</form></body></html>`,
    { "referrer-policy": "no-referrer" },
  );
}

export async function handleConsentDecision(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppConfig,
  sellers: ConsentSeller[],
  tokens: TokenStore,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const r: ConsentRequest = {
    applicationId: form.get("application_id"),
    state: form.get("state"),
    redirectUri: form.get("redirect_uri"),
    version: form.get("version"),
  };
  const checked = validate(app, r);
  if ("error" in checked) return errorPage(res, checked.error);
  const target = new URL(checked.redirectUri);
  if (form.get("action") === "cancel") {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The seller declined to authorize the application.");
    target.searchParams.set("state", r.state ?? "");
  } else {
    // The account the user confirmed on the page (not the consent URL's selling_partner_id, which only
    // preselects). The code is bound to it; the redirect's selling_partner_id is a copy for the app.
    const sellerId = form.get("selling_partner_id") ?? sellers[0]?.sellingPartnerId ?? "";
    if (!sellers.some((s) => s.sellingPartnerId === sellerId)) return errorPage(res, "Unknown selling account.");
    target.searchParams.set("state", r.state ?? "");
    target.searchParams.set("selling_partner_id", sellerId);
    target.searchParams.set("spapi_oauth_code", tokens.issueCode(sellerId, checked.redirectUri));
  }
  res.writeHead(302, { location: target.toString(), "referrer-policy": "no-referrer", "content-length": 0 });
  res.end();
}
