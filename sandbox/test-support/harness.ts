// Test harness: start a sandbox, authorize through the real consent + LWA flow, call SP-API over
// HTTP with every JSON response checked against Amazon's models, poll reports, download documents.
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../server";
import { MODELS_AVAILABLE, validateResponse } from "./conformance";

export const APP = {
  clientId: "amzn1.application-oa2-client.sandbox",
  clientSecret: "sandbox-secret",
  appId: "amzn1.sp.solution.sandbox",
  redirectUri: "http://localhost:3000/api/amazon/callback",
};

/**
 * The instant every test world ends at. The synthetic world is a function of its end instant (its
 * calendar, the days rules are forced on, which events fall in a window), so a sandbox started at the
 * real now would give tests different data every day; a planted record can drift out of a test's window.
 */
export const WORLD_END = "2026-06-15T12:00:00.000Z";
export const WORLD_END_MS = Date.parse(WORLD_END);

export function start(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, seed: 42, size: "small", timeScale: 600, sellers: 2, reportProcessingSeconds: 60, ...opts, startTime: opts.startTime ?? WORLD_END });
}

export function consentUrl(sb: Sandbox, params: Record<string, string>): URL {
  const u = new URL(sb.consentUrl);
  for (const [k, v] of Object.entries({ application_id: APP.appId, state: "s-1", redirect_uri: APP.redirectUri, version: "beta", ...params })) {
    if (v !== "") u.searchParams.set(k, v);
  }
  return u;
}

/** Submits the consent form the way a browser would; returns the redirect Location. */
export async function submitConsent(sb: Sandbox, fields: Record<string, string>): Promise<Response> {
  return fetch(new URL("/apps/authorize/confirm", sb.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ application_id: APP.appId, redirect_uri: APP.redirectUri, version: "beta", action: "confirm", ...fields }).toString(),
    redirect: "manual",
  });
}

export async function lwa(sb: Sandbox, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(sb.lwaTokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({ client_id: APP.clientId, client_secret: APP.clientSecret, ...form }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function authorize(sb: Sandbox, sellerIndex = 0): Promise<{ sellerId: string; accessToken: string; refreshToken: string }> {
  const seller = sb.sellers[sellerIndex];
  if (!seller) throw new Error(`no seller ${sellerIndex}`);
  const res = await submitConsent(sb, { state: "st", selling_partner_id: seller.sellingPartnerId });
  const code = new URL(res.headers.get("location") ?? "").searchParams.get("spapi_oauth_code") ?? "";
  const t = await lwa(sb, { grant_type: "authorization_code", code, redirect_uri: APP.redirectUri });
  expect(t.status).toBe(200);
  return { sellerId: seller.sellingPartnerId, accessToken: String(t.body.access_token), refreshToken: String(t.body.refresh_token) };
}

const OPERATIONS: Array<[string, RegExp, string]> = [
  ["POST", /^\/reports\/2021-06-30\/reports$/, "createReport"],
  ["GET", /^\/reports\/2021-06-30\/reports$/, "getReports"],
  ["GET", /^\/reports\/2021-06-30\/reports\/[^/]+$/, "getReport"],
  ["DELETE", /^\/reports\/2021-06-30\/reports\/[^/]+$/, "cancelReport"],
  ["GET", /^\/reports\/2021-06-30\/documents\/[^/]+$/, "getReportDocument"],
  ["GET", /^\/finances\/v0\/financialEvents$/, "listFinancialEvents"],
  ["GET", /^\/orders\/v0\/orders$/, "getOrders"],
  ["GET", /^\/orders\/v0\/orders\/[^/]+\/orderItems$/, "getOrderItems"],
  ["GET", /^\/fba\/inventory\/v1\/summaries$/, "getInventorySummaries"],
  ["GET", /^\/fba\/inbound\/v0\/shipments$/, "getShipments"],
  ["GET", /^\/fba\/inbound\/v0\/shipments\/[^/]+\/items$/, "getShipmentItemsByShipmentId"],
  ["GET", /^\/fba\/inbound\/v0\/shipmentItems$/, "getShipmentItems"],
  ["GET", /^\/sellers\/v1\/marketplaceParticipations$/, "getMarketplaceParticipations"],
  ["GET", /^\/sellers\/v1\/account$/, "getAccount"],
];

/** Every response validated in this process, for the conformance summary. */
export const validated: Array<{ operationId: string; status: number }> = [];

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(
  sb: Sandbox,
  token: string | null,
  method: string,
  path: string,
  opts: { query?: Record<string, string | number | boolean | string[]>; body?: unknown } = {},
): Promise<CallResult<T>> {
  const url = new URL(path, sb.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, Array.isArray(v) ? v.join(",") : String(v));
  const headers: Record<string, string> = {};
  if (token) headers["x-amz-access-token"] = token;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const op = OPERATIONS.find(([m, re]) => m === method && re.test(url.pathname))?.[2];
  if (op && MODELS_AVAILABLE) {
    const errors = validateResponse(op, res.status, body);
    expect(errors, `${op} ${res.status} response does not match the model: ${text.slice(0, 300)}`).toEqual([]);
    validated.push({ operationId: op, status: res.status });
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls getReport until a terminal status (sandbox quota permitting: getReport allows 2/s, burst 15). */
export async function waitForReport(sb: Sandbox, token: string, reportId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(sb, token, "GET", `/reports/2021-06-30/reports/${reportId}`);
    if (r.status === 200 && ["DONE", "CANCELLED", "FATAL"].includes(r.body.processingStatus)) return r.body;
    if (Date.now() > deadline) throw new Error(`report ${reportId} still ${r.body?.processingStatus ?? r.status}`);
    await sleep(100);
  }
}

export async function createAndWait(sb: Sandbox, token: string, spec: Record<string, unknown>) {
  const created = await call(sb, token, "POST", "/reports/2021-06-30/reports", { body: { marketplaceIds: ["ATVPDKIKX0DER"], ...spec } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return waitForReport(sb, token, created.body.reportId);
}

/** Fetches a report document through getReportDocument and its URL; returns the decoded TSV lines. */
export async function downloadDocument(sb: Sandbox, token: string, reportDocumentId: string) {
  const meta = await call(sb, token, "GET", `/reports/2021-06-30/documents/${encodeURIComponent(reportDocumentId)}`);
  expect(meta.status).toBe(200);
  const res = await fetch(meta.body.url);
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = meta.body.compressionAlgorithm === "GZIP" ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  return { meta: meta.body, text, lines: text.split("\n").filter((l) => l.length > 0).map((l) => l.split("\t")) };
}

export function isoAgo(sb: Sandbox, ms: number): string {
  return new Date(sb.clock.nowMs() - ms).toISOString();
}

/**
 * `ms` before the world's end. Unlike isoAgo it does not move while the test runs (the sandbox clock
 * advances by real elapsed time x scale), so windows that must contain particular records use it.
 */
export function isoBeforeEnd(sb: Sandbox, ms: number): string {
  return new Date(sb.clock.startMs - ms).toISOString();
}

export const DAY = 86_400_000;
