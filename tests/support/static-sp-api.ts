// A stand-in for Amazon's own SP-API sandbox host (sandbox.sellingpartnerapi-na.amazon.com) for tests:
// it answers only with the static examples in Amazon's models (`x-amzn-api-sandbox.static[]`, read
// from ../shared/sp-api-models), as Amazon's static sandbox does (sp-api.md §f). A request whose
// parameters are exactly those of an entry's `request.parameters` gets that entry's `response`, with
// the status of the response key it sits under; anything else gets the 400 Amazon's sandbox sends,
// `{"errors":[{"code":"InvalidInput","message":"Could not match input arguments","details":""}]}`.
// FBA Inventory is Amazon's *dynamic* sandbox (the model marks it `dynamic`): getInventorySummaries
// reads an in-memory inventory, empty until the sandbox-only operations (createInventoryItem,
// addInventory, deleteInventoryItem) put items in it.
// Also: Login with Amazon (`POST /auth/o2/token`, any client credentials), and the pre-signed report
// document URL the getReportDocument example names. That URL is on CloudFront, which a test cannot
// reach, so the example's URL is rewritten to this server (/static-documents/<host>/<path>), which
// serves a small plain (uncompressed) TSV there. Every call is recorded (operation, status).
// Calls need an access token this server issued (else 403), and with `throttle` every operation draws
// from one bucket (Amazon's sandbox: 5 rps, burst 15; an empty bucket answers 429 QuotaExceeded).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { MODELS_AVAILABLE, MODELS_DIR } from "../../sandbox/test-support/conformance";

export { MODELS_AVAILABLE, MODELS_DIR };

/** The models whose operations the app calls. */
export const STATIC_MODEL_FILES = [
  "reports_2021-06-30.json",
  "financesV0.json",
  "fulfillmentInboundV0.json",
  "fbaInventory.json",
  "sellers.json",
  "ordersV0.json",
] as const;

/** What Amazon's sandbox answers to a request no static entry matches (seen from the real host). */
export const NO_MATCH_BODY = { errors: [{ code: "InvalidInput", message: "Could not match input arguments", details: "" }] };
const UNAUTHORIZED_BODY = { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "" }] };
const NOT_FOUND_BODY = { errors: [{ code: "NotFound", message: "Resource not found", details: "" }] };
export const QUOTA_EXCEEDED_BODY = { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] };

/** Amazon's sandbox throttles every operation alike (sp-api.md §f). */
export const SANDBOX_THROTTLE = { rate: 5, burst: 15 } as const;

export interface StaticEntry {
  status: number;
  parameters: Record<string, unknown>;
  response: unknown;
}

interface ParameterSpec {
  name: string;
  in: "path" | "query" | "body" | "header" | "formData";
  type?: string;
}

export interface StaticOperation {
  operationId: string;
  file: string;
  method: string;
  /** The model's path template, e.g. /reports/2021-06-30/reports/{reportId}. */
  path: string;
  parameters: ParameterSpec[];
  entries: StaticEntry[];
  /** The model marks the operation (or its path) as Amazon's dynamic sandbox. */
  dynamic: boolean;
  pattern: RegExp;
  pathNames: string[];
}

export interface StaticCall {
  /** Model operationId, or "lwa", "reportDocument" (the pre-signed URL), "unknown". */
  operation: string;
  method: string;
  path: string;
  status: number;
  /** static: an entry matched; dynamic: the dynamic inventory answered; none: the no-match 400 or another refusal. */
  answer: "static" | "dynamic" | "none";
  at: number;
}

export interface StaticSpApi {
  /** The SP-API base URL (AMAZON_SPAPI_ENDPOINT). */
  url: string;
  /** The LWA token endpoint (AMAZON_LWA_ENDPOINT). */
  lwaUrl: string;
  operations: ReadonlyMap<string, StaticOperation>;
  /** Every call so far, in order. */
  calls(): StaticCall[];
  /** The document URL the getReportDocument example names, as this server serves it. */
  documentUrl(exampleUrl: string): string;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function resolveParameter(model: Json, p: Json): ParameterSpec {
  const ref = p.$ref;
  if (typeof ref === "string") {
    const name = ref.replace(/^#\/parameters\//, "");
    return resolveParameter(model, (model.parameters as Json)[name] as Json);
  }
  return { name: String(p.name), in: p.in as ParameterSpec["in"], type: p.type as string | undefined };
}

/** Every operation of the models, with its static entries, keyed by operationId. */
export function loadStaticOperations(files: readonly string[] = STATIC_MODEL_FILES, dir = MODELS_DIR): Map<string, StaticOperation> {
  const out = new Map<string, StaticOperation>();
  for (const file of files) {
    const model = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
    for (const [path, item] of Object.entries(model.paths as Record<string, Json>)) {
      const pathSandbox = item["x-amzn-api-sandbox"] as Json | undefined;
      const pathParameters = ((item.parameters ?? []) as Json[]).map((p) => resolveParameter(model, p));
      for (const [method, raw] of Object.entries(item)) {
        const op = raw as Json;
        if (!op || typeof op !== "object" || typeof op.operationId !== "string") continue;
        const opSandbox = op["x-amzn-api-sandbox"] as Json | undefined;
        const entries: StaticEntry[] = [];
        for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
          const sandbox = response["x-amzn-api-sandbox"] as { static?: { request?: { parameters?: Json }; response?: unknown }[] } | undefined;
          for (const entry of sandbox?.static ?? []) {
            entries.push({ status: Number(status), parameters: entry.request?.parameters ?? {}, response: entry.response });
          }
        }
        const pathNames: string[] = [];
        const pattern = new RegExp(
          "^" +
            path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
              pathNames.push(name);
              return "([^/]+)";
            }) +
            "$",
        );
        out.set(op.operationId, {
          operationId: op.operationId,
          file,
          method: method.toUpperCase(),
          path,
          parameters: [...pathParameters, ...((op.parameters ?? []) as Json[]).map((p) => resolveParameter(model, p))],
          entries,
          dynamic: !!(pathSandbox && "dynamic" in pathSandbox) || !!(opSandbox && "dynamic" in opSandbox),
          pattern,
          pathNames,
        });
      }
    }
  }
  return out;
}

/** JSON with sorted keys: two bodies equal as data compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A model value as it travels in a URL (Swagger 2.0 csv arrays). */
function asUrlValue(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

/**
 * The request's parameters are exactly the entry's: the same names (path, query, and `body` for a
 * JSON body) and equal values. Amazon's sandbox refuses a request with a parameter the entry lacks.
 */
export function matchesEntry(entry: StaticEntry, request: { path: Record<string, string>; query: URLSearchParams; body: unknown }): boolean {
  const given = new Map<string, unknown>();
  for (const [k, v] of Object.entries(request.path)) given.set(k, v);
  for (const [k, v] of request.query) given.set(k, v);
  if (request.body !== undefined) given.set("body", request.body);
  const expected = Object.entries(entry.parameters).map(([k, v]) => [k, (v as { value?: unknown })?.value] as const);
  if (expected.length !== given.size) return false;
  for (const [name, value] of expected) {
    if (!given.has(name)) return false;
    const actual = given.get(name);
    if (name === "body") {
      if (canonical(actual) !== canonical(value)) return false;
    } else if (String(actual) !== asUrlValue(value)) return false;
  }
  return true;
}

/** The plain TSV served for a report document URL of the examples (merchant listings columns). */
export const EXAMPLE_DOCUMENT_TSV =
  ["item-name", "listing-id", "seller-sku", "price", "quantity", "open-date", "asin1", "fulfillment-channel", "status"].join("\t") +
  "\n" +
  ["Sample listing", "0101ABCDEF1", "SKU-SAMPLE-1", "19.99", "5", "2024-03-10 12:00:00 PST", "B00EXAMPLE", "AMAZON_NA", "Active"].join("\t") +
  "\n";

interface InventoryItem {
  sellerSku: string;
  marketplaceId: string;
  productName: string;
  quantity: number;
  updatedAt: string;
}

export interface StaticSpApiOptions {
  port?: number;
  modelsDir?: string;
  /**
   * One token bucket for every SP-API call, as Amazon's sandbox host has (5 rps, burst 15): an empty
   * bucket answers 429 QuotaExceeded. Off (undefined) by default.
   */
  throttle?: { rate: number; burst: number };
}

export async function startStaticSpApi(options: StaticSpApiOptions = {}): Promise<StaticSpApi> {
  const operations = loadStaticOperations(STATIC_MODEL_FILES, options.modelsDir ?? MODELS_DIR);
  const throttle = options.throttle;
  let bucket = { tokens: throttle?.burst ?? 0, at: Date.now() };
  const takeToken = (): boolean => {
    if (!throttle) return true;
    const now = Date.now();
    bucket = { tokens: Math.min(throttle.burst, bucket.tokens + ((now - bucket.at) / 1000) * throttle.rate), at: now };
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
  const calls: StaticCall[] = [];
  const tokens = new Set<string>();
  const inventory = new Map<string, InventoryItem>();
  const documents = new Map<string, string>();
  let base = "";

  const documentUrl = (exampleUrl: string) => {
    const u = new URL(exampleUrl);
    return `${base}/static-documents/${u.host}${u.pathname}`;
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, contentType = "application/json") => {
    res.writeHead(status, { "content-type": contentType, "x-amzn-RequestId": randomUUID() });
    res.end(body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body));
  };

  const dynamicAnswer = (op: StaticOperation, path: Record<string, string>, query: URLSearchParams, body: unknown): { status: number; body: unknown } => {
    const b = (body ?? {}) as Json;
    switch (op.operationId) {
      case "getInventorySummaries": {
        const marketplaceId = query.get("marketplaceIds");
        if (query.get("granularityType") !== "Marketplace" || !query.get("granularityId") || !marketplaceId || marketplaceId.includes(",")) {
          return { status: 400, body: NO_MATCH_BODY };
        }
        const details = query.get("details") === "true";
        const summaries = [...inventory.values()]
          .filter((i) => i.marketplaceId === marketplaceId)
          .map((i) => ({
            sellerSku: i.sellerSku,
            productName: i.productName,
            condition: "NewItem",
            lastUpdatedTime: i.updatedAt,
            totalQuantity: i.quantity,
            ...(details ? { inventoryDetails: { fulfillableQuantity: i.quantity, inboundWorkingQuantity: 0, inboundShippedQuantity: 0, inboundReceivingQuantity: 0 } } : {}),
          }));
        return { status: 200, body: { payload: { granularity: { granularityType: "Marketplace", granularityId: query.get("granularityId") }, inventorySummaries: summaries } } };
      }
      case "createInventoryItem": {
        if (typeof b.sellerSku !== "string" || typeof b.marketplaceId !== "string" || typeof b.productName !== "string") return { status: 400, body: NO_MATCH_BODY };
        inventory.set(`${b.marketplaceId}|${b.sellerSku}`, { sellerSku: b.sellerSku, marketplaceId: b.marketplaceId, productName: b.productName, quantity: 0, updatedAt: new Date().toISOString() });
        return { status: 200, body: {} };
      }
      case "addInventory": {
        const items = Array.isArray(b.inventoryItems) ? (b.inventoryItems as Json[]) : [];
        for (const item of items) {
          const found = inventory.get(`${String(item.marketplaceId)}|${String(item.sellerSku)}`);
          if (!found || typeof item.quantity !== "number") return { status: 400, body: NO_MATCH_BODY };
          found.quantity += item.quantity;
          found.updatedAt = new Date().toISOString();
        }
        return { status: 200, body: {} };
      }
      case "deleteInventoryItem": {
        const deleted = inventory.delete(`${query.get("marketplaceId") ?? ""}|${path.sellerSku ?? ""}`);
        return deleted ? { status: 200, body: {} } : { status: 400, body: NO_MATCH_BODY };
      }
      default:
        return { status: 400, body: NO_MATCH_BODY };
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const record = (operation: string, status: number, answer: StaticCall["answer"]) =>
      calls.push({ operation, method, path: url.pathname, status, answer, at: Date.now() });

    if (url.pathname === "/auth/o2/token") {
      const form = new URLSearchParams(text);
      const grant = form.get("grant_type");
      const ok =
        method === "POST" &&
        !!form.get("client_id") &&
        !!form.get("client_secret") &&
        ((grant === "refresh_token" && !!form.get("refresh_token")) || (grant === "authorization_code" && !!form.get("code")) || grant === "client_credentials");
      if (!ok) {
        record("lwa", 400, "none");
        return send(res, 400, { error: "invalid_request", error_description: "The request is missing a required parameter" });
      }
      const accessToken = `Atza|static-sandbox-${randomUUID()}`;
      tokens.add(accessToken);
      record("lwa", 200, "static");
      return send(res, 200, {
        access_token: accessToken,
        refresh_token: form.get("refresh_token") ?? `Atzr|static-sandbox-${randomUUID()}`,
        token_type: "bearer",
        expires_in: 3600,
      });
    }

    if (url.pathname.startsWith("/static-documents/")) {
      const doc = documents.get(url.pathname);
      record("reportDocument", doc === undefined ? 404 : 200, doc === undefined ? "none" : "static");
      if (doc === undefined) return send(res, 404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>", "application/xml");
      return send(res, 200, doc, "text/plain");
    }

    let op: StaticOperation | undefined;
    let pathParams: Record<string, string> = {};
    for (const candidate of operations.values()) {
      if (candidate.method !== method) continue;
      const m = candidate.pattern.exec(url.pathname);
      if (!m) continue;
      op = candidate;
      pathParams = Object.fromEntries(candidate.pathNames.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
      break;
    }
    if (!op) {
      record("unknown", 404, "none");
      return send(res, 404, NOT_FOUND_BODY);
    }
    const token = req.headers["x-amz-access-token"];
    if (typeof token !== "string" || !tokens.has(token)) {
      record(op.operationId, 403, "none");
      return send(res, 403, UNAUTHORIZED_BODY);
    }
    if (!takeToken()) {
      record(op.operationId, 429, "none");
      return send(res, 429, QUOTA_EXCEEDED_BODY);
    }
    let body: unknown;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        record(op.operationId, 400, "none");
        return send(res, 400, NO_MATCH_BODY);
      }
    }
    if (op.dynamic) {
      const answer = dynamicAnswer(op, pathParams, url.searchParams, body);
      record(op.operationId, answer.status, answer.status < 300 ? "dynamic" : "none");
      return send(res, answer.status, answer.body);
    }
    const entry = op.entries.find((e) => matchesEntry(e, { path: pathParams, query: url.searchParams, body }));
    if (!entry) {
      record(op.operationId, 400, "none");
      return send(res, 400, NO_MATCH_BODY);
    }
    record(op.operationId, entry.status, "static");
    return send(res, entry.status, entry.response);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ code: "InternalFailure", message: String(error) }] });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The examples' document URLs are on CloudFront, out of a test's reach: they point here instead.
  for (const entry of operations.get("getReportDocument")?.entries ?? []) {
    const doc = entry.response as Json | undefined;
    if (entry.status !== 200 || typeof doc?.url !== "string") continue;
    const served = documentUrl(doc.url);
    documents.set(new URL(served).pathname, EXAMPLE_DOCUMENT_TSV);
    entry.response = { ...doc, url: served };
  }

  return {
    url: base,
    lwaUrl: `${base}/auth/o2/token`,
    operations,
    calls: () => [...calls],
    documentUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
