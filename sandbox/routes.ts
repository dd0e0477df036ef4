// Routing for everything except consent and LWA: the SP-API operations (through the usage-plan
// pipeline), pre-signed document downloads and the /__sandbox admin endpoints tests use.
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext, ApiHandler, SellerRuntime } from "./api/context";
import { listFinancialEvents } from "./api/finances";
import { getShipmentItems, getShipmentItemsByShipmentId, getShipments } from "./api/inbound";
import { getInventorySummaries } from "./api/inventory";
import { getOrderItems, getOrders } from "./api/orders";
import { getAccount, getMarketplaceParticipations } from "./api/sellers";
import { cancelReport, createReport, getReport, getReportDocument, getReports } from "./api/reports";
import type { AppConfig } from "./auth/app-config";
import type { TokenStore } from "./auth/token-store";
import type { CallLog } from "./call-log";
import type { SandboxClock } from "./clock";
import type { FaultConfig } from "./faults";
import { invalidInput, SpApiError } from "./http/errors";
import { queryObject, readBody, sendJson } from "./http/respond";
import { Router } from "./http/router";
import { runOperation } from "./http/spapi-pipeline";
import type { Rng } from "./prng";
import { DOCUMENT_PATH_PREFIX, type DocumentUrlSigner } from "./reports/document-urls";
import type { OperationName, UsagePlanLimiter } from "./usage-plans";
import { readFile } from "node:fs/promises";

export interface RouteDeps {
  clock: SandboxClock;
  log: CallLog;
  limiter: UsagePlanLimiter;
  tokens: TokenStore;
  signer: DocumentUrlSigner;
  sellers: Map<string, SellerRuntime>;
  app: AppConfig;
  dataDir: string;
  groundTruthPath(id: string): string;
  groundTruthReady(): Promise<unknown>;
  groundTruthWritten(): boolean;
  faults(): FaultConfig;
  setFaults(f: unknown): void;
  rng: Rng;
  baseUrl(): string;
}

type Op = { kind: "op"; operation: OperationName; handler: ApiHandler };
type Raw = { kind: "raw"; handler: (req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>) => Promise<void> };

export function buildRoutes(deps: RouteDeps) {
  const router = new Router<Op | Raw>();
  const op = (method: string, path: string, operation: OperationName, handler: ApiHandler) => router.add(method, path, { kind: "op", operation, handler });
  const raw = (method: string, path: string, handler: Raw["handler"]) => router.add(method, path, { kind: "raw", handler });

  op("POST", "/reports/2021-06-30/reports", "createReport", createReport);
  op("GET", "/reports/2021-06-30/reports", "getReports", getReports);
  op("GET", "/reports/2021-06-30/reports/:reportId", "getReport", getReport);
  op("DELETE", "/reports/2021-06-30/reports/:reportId", "cancelReport", cancelReport);
  op("GET", "/reports/2021-06-30/documents/:reportDocumentId", "getReportDocument", getReportDocument);
  op("GET", "/finances/v0/financialEvents", "listFinancialEvents", listFinancialEvents);
  op("GET", "/orders/v0/orders", "getOrders", getOrders);
  op("GET", "/orders/v0/orders/:orderId/orderItems", "getOrderItems", getOrderItems);
  op("GET", "/fba/inventory/v1/summaries", "getInventorySummaries", getInventorySummaries);
  op("GET", "/fba/inbound/v0/shipments", "getShipments", getShipments);
  op("GET", "/fba/inbound/v0/shipments/:shipmentId/items", "getShipmentItemsByShipmentId", getShipmentItemsByShipmentId);
  op("GET", "/fba/inbound/v0/shipmentItems", "getShipmentItems", getShipmentItems);
  op("GET", "/sellers/v1/marketplaceParticipations", "getMarketplaceParticipations", getMarketplaceParticipations);
  op("GET", "/sellers/v1/account", "getAccount", getAccount);

  raw("GET", `${DOCUMENT_PATH_PREFIX}/:sellerId/:documentId`, async (req, res, url, params) => {
    const seller = deps.sellers.get(params.sellerId ?? "");
    const s3Error = (status: number, code: string, message: string) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${Date.now().toString(16)}</RequestId></Error>`;
      res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml) });
      res.end(xml);
      logDownload(status);
    };
    const logDownload = (status: number) =>
      deps.log.add({ time: deps.clock.now().toISOString(), realTime: new Date().toISOString(), operation: "downloadDocument", method: "GET", path: url.pathname, sellingPartnerId: params.sellerId ?? null, status, requestId: "" });
    if (!seller) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    const check = deps.signer.verify(params.sellerId ?? "", params.documentId ?? "", url.searchParams, deps.clock.nowMs());
    if (!check.ok) return s3Error(403, "AccessDenied", check.reason === "expired" ? "Request has expired" : "The request signature we calculated does not match the signature you provided.");
    const doc = await seller.reports.document(params.documentId ?? "");
    if (!doc) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    const headers: Record<string, string> = { "content-type": doc.compressed ? "text/plain;charset=UTF-8" : "application/json;charset=UTF-8" };
    if (check.contentEncoding) headers["content-encoding"] = "gzip";
    res.writeHead(200, headers);
    logDownload(200);
    if (req.method === "HEAD") return void res.end();
    createReadStream(doc.path).pipe(res);
  });

  // Admin endpoints (not part of SP-API).
  raw("GET", "/__sandbox/calls", async (_req, res) => sendJson(res, 200, { calls: deps.log.list() }));
  raw("DELETE", "/__sandbox/calls", async (_req, res) => {
    deps.log.clear();
    sendJson(res, 200, { ok: true });
  });
  raw("GET", "/__sandbox/faults", async (_req, res) => sendJson(res, 200, deps.faults()));
  raw("POST", "/__sandbox/faults", async (req, res) => {
    try {
      deps.setFaults(JSON.parse((await readBody(req)) || "{}"));
      sendJson(res, 200, deps.faults());
    } catch (e) {
      sendJson(res, 400, { error: { code: "invalid_faults", message: e instanceof Error ? e.message : String(e) } });
    }
  });
  raw("GET", "/__sandbox/health", async (_req, res) =>
    sendJson(res, 200, { status: "ok", sellers: deps.sellers.size, now: deps.clock.now().toISOString(), groundTruthReady: deps.groundTruthWritten() }),
  );
  raw("GET", "/__sandbox/clock", async (_req, res) => sendJson(res, 200, { now: deps.clock.now().toISOString(), start: new Date(deps.clock.startMs).toISOString(), scale: deps.clock.scale }));
  raw("GET", "/__sandbox/sellers", async (_req, res) =>
    sendJson(res, 200, {
      sellers: [...deps.sellers.values()].map((s) => ({
        ...s.base.seller,
        worldStart: new Date(s.base.startMs).toISOString(),
        worldEnd: new Date(s.world.endMs).toISOString(),
        groundTruthAsOf: new Date(s.base.endMs).toISOString(),
        groundTruth: deps.groundTruthPath(s.base.seller.sellingPartnerId),
      })),
    }),
  );
  const sellerOr404 = (res: ServerResponse, id: string | undefined) => {
    const s = deps.sellers.get(id ?? "");
    if (!s) sendJson(res, 404, { error: { code: "not_found", message: `unknown selling partner ${id}` } });
    return s;
  };
  raw("POST", "/__sandbox/sellers/:id/revoke", async (_req, res, _url, p) => {
    if (!sellerOr404(res, p.id)) return;
    deps.tokens.revoke(p.id ?? "");
    sendJson(res, 200, { revoked: p.id });
  });
  raw("POST", "/__sandbox/sellers/:id/grant", async (_req, res, _url, p) => {
    if (!sellerOr404(res, p.id)) return;
    const t = deps.tokens.grant(p.id ?? "");
    sendJson(res, 200, { refresh_token: t.refreshToken, access_token: t.accessToken });
  });
  raw("GET", "/__sandbox/sellers/:id/ground-truth", async (_req, res, _url, p) => {
    if (!sellerOr404(res, p.id)) return;
    await deps.groundTruthReady();
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    createReadStream(deps.groundTruthPath(p.id ?? "")).on("error", () => res.end()).pipe(res);
  });
  raw("GET", "/__sandbox/sellers/:id/catalog", async (_req, res, _url, p) => {
    const s = sellerOr404(res, p.id);
    if (!s) return;
    // The seller-provided data detection needs (sourcing cost, true size) that SP-API does not carry.
    sendJson(res, 200, {
      currency: "USD",
      skus: s.world.catalog.map((k) => ({ sku: k.sku, fnsku: k.fnsku, asin: k.asin, title: k.title, category: k.category, priceMinor: k.priceMinor, sourcingCostMinor: k.costMinor, sizeTier: k.sizeTier, dimensions: k.dims })),
    });
  });
  raw("GET", "/__sandbox/sellers/:id/cases", async (_req, res, _url, p) => {
    if (!sellerOr404(res, p.id)) return;
    // Seller-filed cases Amazon approved (R18): the data lives in the ground truth only.
    await deps.groundTruthReady();
    const text = await readFile(deps.groundTruthPath(p.id ?? ""), "utf8").catch(() => "");
    const cases = text
      .split("\n")
      .filter((l) => l.includes('"rule":"R18"'))
      .map((l) => JSON.parse(l) as { keys: Record<string, string>; anchorDate: string; expectedValueMinor: number; quantity: number })
      .map((r) => ({ caseId: r.keys.caseId, status: "APPROVED", approvedAt: r.anchorDate, fnsku: r.keys.fnsku, quantity: r.quantity, approvedAmountMinor: r.expectedValueMinor }));
    sendJson(res, 200, { cases });
  });

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const match = router.match(req.method === "HEAD" ? "GET" : (req.method ?? "GET"), url.pathname);
    if (!("handler" in match)) {
      sendJson(res, 404, { errors: [{ code: "NotFound", message: "Resource not found.", details: `${req.method} ${url.pathname}` }] }, { "x-amzn-RequestId": randomUUID() });
      return;
    }
    const route = match.handler;
    if (route.kind === "raw") return route.handler(req, res, url, match.params);
    await runOperation(
      { clock: deps.clock, log: deps.log, limiter: deps.limiter, faults: deps.faults, rng: deps.rng, checkAccess: (t) => deps.tokens.checkAccess(t) },
      route.operation,
      req,
      res,
      async (sellerId) => {
        const seller = deps.sellers.get(sellerId);
        if (!seller) throw invalidInput("Unknown selling partner.");
        let body: unknown;
        if (req.method === "POST") {
          const text = await readBody(req);
          const type = req.headers["content-type"] ?? "application/json";
          if (!/json/i.test(type)) throw new SpApiError(415, "UnsupportedMediaType", "The request payload is in an unsupported format.", `Content-Type ${type}`);
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            throw invalidInput("The request body is not valid JSON.");
          }
        }
        const ctx: ApiContext = { url, params: match.params, query: queryObject(url), body, seller, clock: deps.clock, baseUrl: deps.baseUrl(), signer: deps.signer };
        return route.handler(ctx);
      },
    );
  };
}
