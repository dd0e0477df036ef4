// The SP-API sandbox server: LWA + consent, Reports / Finances / Orders / FBA Inventory / FBA Inbound,
// usage plans, fault injection and admin endpoints, over node:http. startSandbox() is the one entry point.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_APP, type AppConfig } from "./auth/app-config";
import { handleConsentDecision, renderConsent } from "./auth/consent-page";
import { handleTokenRequest } from "./auth/lwa-token";
import { TokenStore } from "./auth/token-store";
import { CallLog, type CallRecord } from "./call-log";
import { createClock, type SandboxClock } from "./clock";
import { type FaultConfig, FaultConfigSchema } from "./faults";
import { writeGroundTruth } from "./generator/ground-truth";
import { InventoryAccumulator } from "./generator/inventory-state";
import { buildWorld, type SizeName, type World, worldAt } from "./generator/world";
import { streamWorldWithTicks, TICK } from "./generator/world-stream";
import { LwaError } from "./http/errors";
import { sendJson } from "./http/respond";
import { Rng } from "./prng";
import { DocumentUrlSigner } from "./reports/document-urls";
import { type CooldownMode, SellerReports } from "./reports/report-engine";
import { UsagePlanLimiter } from "./usage-plans";
import { PageTokens } from "./api/page-tokens";
import type { SellerRuntime } from "./api/context";
import { buildRoutes } from "./routes";
import { sandboxLog } from "./log";

export type { FaultConfig } from "./faults";
export type { CallRecord } from "./call-log";
export type { GroundTruthRecord } from "./generator/types";

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  size?: SizeName;
  timeScale?: number;
  sellers?: number;
  /** Where documents and ground truth go; a temp dir (removed on close) when omitted. */
  dataDir?: string;
  clientId?: string;
  clientSecret?: string;
  appId?: string;
  appName?: string;
  redirectUris?: string[];
  /** Sandbox seconds from createReport to DONE (a quarter of it IN_QUEUE). Default 120. */
  reportProcessingSeconds?: number;
  faults?: FaultConfig;
  /** Pin the sandbox clock's start (= the world's end); defaults to the real now. */
  startTime?: string | number | Date;
  /** "type" (default): one report per type per cooldown; "window": per type and date range; "off". */
  reportCooldown?: CooldownMode;
  /** Draft apps need version=beta on the consent URL (default false = draft). */
  appPublished?: boolean;
  /** Write ground-truth.jsonl per seller at start (default true). */
  groundTruth?: boolean;
  /**
   * Live world (default false): the world keeps happening as the sandbox clock runs (new orders, returns,
   * payouts after start), seen through every API. The ground truth stays as of the start.
   */
  liveWorld?: boolean;
}

export interface SandboxSeller {
  sellingPartnerId: string;
  marketplaceIds: string[];
  name: string;
}

export interface Sandbox {
  url: string;
  lwaTokenUrl: string;
  consentUrl: string;
  sellers: SandboxSeller[];
  clock: SandboxClock;
  dataDir: string;
  calls(): CallRecord[];
  setFaults(f: FaultConfig): void;
  revoke(sellingPartnerId: string): void;
  /** Test shortcut past the consent page: a refresh + access token pair for a seller. */
  grant(sellingPartnerId: string): { refreshToken: string; accessToken: string };
  /** Path of a seller's ground-truth JSONL file. */
  groundTruthPath(sellingPartnerId: string): string;
  /** Resolves once every ground-truth file is written (at start for small sellers, in the background for large). */
  groundTruthReady(): Promise<void>;
  /** The seller's synthetic world as generated at start (for tests that regenerate data directly). */
  world(sellingPartnerId: string): World;
  close(): Promise<void>;
}

/**
 * The world as of the sandbox clock, re-cut every sandbox minute (hour for large sellers, whose derived
 * caches such as inventory cost a full pass), never earlier than the start.
 */
function liveView(base: World, clock: SandboxClock, size: SizeName): () => World {
  const step = size === "large" ? 3_600_000 : 60_000;
  let view = base;
  return () => {
    const end = Math.max(base.endMs, Math.floor(clock.nowMs() / step) * step);
    if (end !== view.endMs) view = worldAt(base, end);
    return view;
  };
}

/** One pass over a world that also settles its end-of-world inventory (so getInventorySummaries never re-streams). */
function* fullPass(w: World) {
  const inventory = new InventoryAccumulator(w);
  for (const ev of streamWorldWithTicks(w, { kinds: new Set(["truth", "ledger", "order"]) })) {
    if (ev === TICK || ev.kind === "truth") yield ev;
    else inventory.add(ev);
  }
  inventory.finish();
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const size = options.size ?? "small";
  const startMs = options.startTime === undefined ? undefined : new Date(options.startTime).getTime();
  if (startMs !== undefined && Number.isNaN(startMs)) throw new Error(`startTime is not a date: ${String(options.startTime)}`);
  const sellerCount = options.sellers ?? 3;
  if (!Number.isInteger(sellerCount) || sellerCount < 1) throw new Error(`sellers must be a positive integer, got ${sellerCount}`);
  const clock = createClock({ scale: options.timeScale ?? 1, ...(startMs !== undefined ? { startMs } : {}) });
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "spapi-sandbox-")));
  const app: AppConfig = {
    clientId: options.clientId ?? DEFAULT_APP.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_APP.clientSecret,
    appId: options.appId ?? DEFAULT_APP.appId,
    appName: options.appName ?? DEFAULT_APP.appName,
    redirectUris: options.redirectUris ?? DEFAULT_APP.redirectUris,
    published: options.appPublished ?? false,
  };
  let faults: FaultConfig = FaultConfigSchema.parse(options.faults ?? {});
  const faultRng = new Rng(seed, "faults");
  const tokens = new TokenStore(clock);
  const log = new CallLog();
  const limiter = new UsagePlanLimiter(clock);
  const signer = new DocumentUrlSigner();

  const live = options.liveWorld ?? false;
  const sellers = new Map<string, SellerRuntime>();
  for (let i = 0; i < sellerCount; i++) {
    const world = buildWorld({ seed, index: i, size, endMs: clock.startMs });
    // Report state lives in memory, so documents left by an earlier run in a kept data dir are orphans.
    await rm(join(dataDir, world.seller.sellingPartnerId, "documents"), { recursive: true, force: true });
    const current = live ? liveView(world, clock, size) : () => world;
    const reports = new SellerReports(world, current, dataDir, clock, {
      processingMs: (options.reportProcessingSeconds ?? 120) * 1000,
      cooldown: options.reportCooldown ?? "type",
      faults: () => faults,
      faultRng,
    });
    sellers.set(world.seller.sellingPartnerId, {
      base: world,
      get world() {
        return current();
      },
      reports,
      tokens: new PageTokens(clock),
    });
  }
  const groundTruthPath = (id: string) => join(dataDir, id, "ground-truth.jsonl");
  // A full pass over the world: well under a second per small seller, 15-30 s per large one, so large
  // sellers write it in the background (groundTruthReady() resolves when done).
  const truthDone: Promise<unknown> =
    options.groundTruth ?? true
      ? Promise.all(
          [...sellers.values()].map((s) => writeGroundTruth(s.base, groundTruthPath(s.base.seller.sellingPartnerId), fullPass(s.base))),
        )
      : Promise.resolve();
  let closing = false;
  let truthWritten = false;
  void truthDone.then(() => (truthWritten = true), () => undefined);
  if (size === "small") await truthDone;
  truthDone.catch((e: unknown) => {
    if (!closing) sandboxLog.error({ err: e }, "ground truth failed");
  });

  const identities = () => [...sellers.values()].map((s) => s.base.seller);
  const server = createServer();
  let baseUrl = "";
  const routes = buildRoutes({
    clock, log, limiter, tokens, signer, sellers, app, dataDir, groundTruthPath,
    groundTruthReady: () => truthDone,
    groundTruthWritten: () => truthWritten,
    faults: () => faults,
    setFaults: (f) => (faults = FaultConfigSchema.parse(f)),
    rng: faultRng,
    baseUrl: () => baseUrl,
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      // The path only: the sandbox's consent and document URLs carry codes and signatures in their query.
      sandboxLog.error({ err: e, method: req.method, path: (req.url ?? "").split("?")[0] }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ code: "InternalFailure", message: "We encountered an internal error. Please try again.", details: "" }] });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    if (url.pathname === "/apps/authorize/consent" && method === "GET") return renderConsent(res, url, app, identities());
    if (url.pathname === "/apps/authorize/confirm" && method === "POST") return handleConsentDecision(req, res, app, identities(), tokens);
    if (url.pathname === "/auth/o2/token" && method === "POST") return lwa(req, res);
    return routes(req, res, url);
  }

  async function lwa(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = (status: number, sellerId: string | null) =>
      log.add({ time: clock.now().toISOString(), realTime: new Date().toISOString(), operation: "lwaToken", method: "POST", path: "/auth/o2/token", sellingPartnerId: sellerId, status, requestId: "" });
    try {
      const body = await handleTokenRequest(req, app, tokens);
      const check = tokens.checkAccess(body.access_token);
      sendJson(res, 200, body, { "cache-control": "no-store", "x-amzn-RequestId": randomUUID() });
      record(200, check.ok ? check.sellingPartnerId : null);
    } catch (e) {
      if (!(e instanceof LwaError)) throw e;
      sendJson(res, e.status, { error: e.error, error_description: e.description }, { "cache-control": "no-store", "x-amzn-RequestId": randomUUID() });
      record(e.status, null);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  const runtime = (id: string) => {
    const s = sellers.get(id);
    if (!s) throw new Error(`unknown selling partner ${id}`);
    return s;
  };
  return {
    url: baseUrl,
    lwaTokenUrl: `${baseUrl}/auth/o2/token`,
    consentUrl: `${baseUrl}/apps/authorize/consent`,
    sellers: identities().map((s) => ({ sellingPartnerId: s.sellingPartnerId, marketplaceIds: [...s.marketplaceIds], name: s.name })),
    clock,
    dataDir,
    calls: () => log.list(),
    setFaults: (f) => {
      faults = FaultConfigSchema.parse(f);
    },
    revoke: (id) => tokens.revoke(runtime(id).base.seller.sellingPartnerId),
    grant: (id) => tokens.grant(runtime(id).base.seller.sellingPartnerId),
    groundTruthPath,
    groundTruthReady: async () => {
      await truthDone;
    },
    world: (id) => runtime(id).base,
    close: async () => {
      closing = true;
      for (const s of sellers.values()) s.reports.closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
