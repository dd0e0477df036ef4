// The client against the SP-API sandbox over real HTTP: consent and code exchange, token refresh and
// revocation, staying inside the usage plans under a 429 storm, and every report type end to end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../../sandbox/server";
import { checkReport, waitForReport } from "../../../lib/amazon/check-report";
import { createReport } from "../../../lib/amazon/create-report";
import { LwaError, ReportDocumentCorruptError, ReportFatalError, SellerDisconnectedError } from "../../../lib/amazon/errors";
import { exchangeAuthorizationCode } from "../../../lib/amazon/lwa";
import { amountToMinorUnits } from "../../../lib/amazon/report-values";
import { REPORT_DEFINITIONS, REPORT_TYPES, type ReportType } from "../../../lib/amazon/report-types";
import { createSpApiClient } from "../../../lib/amazon/sp-api-client";
import { streamReportRows } from "../../../lib/amazon/stream-report-rows";
import { consent, sandboxConfig, SANDBOX_APP, worstPlanExcess } from "../../support/amazon/sandbox-helpers";
import { OPERATIONS } from "../../../lib/amazon/rate-limit/usage-plans";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

// A fixed world "now": the generated history and every report window are the same on any date.
const WORLD_START = "2026-06-15T12:00:00.000Z";

async function connect(sb: Sandbox, config: ReturnType<typeof sandboxConfig>["config"], sellerIndex: number) {
  const seller = sb.sellers[sellerIndex]!;
  const redirect = await consent(sb, seller.sellingPartnerId);
  const code = redirect.searchParams.get("spapi_oauth_code")!;
  const tokens = await exchangeAuthorizationCode(config, { code, redirectUri: SANDBOX_APP.redirectUri });
  return { seller, code, tokens, client: createSpApiClient(config, { sellingPartnerId: seller.sellingPartnerId, refreshToken: tokens.refreshToken }) };
}

describe("SP-API sandbox: authorization", () => {
  const SCALE = 3600; // one sandbox hour (an access token's life) per real second
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, seed: 7, size: "small", timeScale: SCALE, startTime: WORLD_START, sellers: 3 });
  });
  afterAll(async () => sb?.close());

  it("walks the consent form and exchanges the code for a refresh token that works", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const seller = sb.sellers[0]!;
    const redirect = await consent(sb, seller.sellingPartnerId, "state-123");
    expect(redirect.origin + redirect.pathname).toBe(SANDBOX_APP.redirectUri);
    expect(redirect.searchParams.get("state")).toBe("state-123");
    expect(redirect.searchParams.get("selling_partner_id")).toBe(seller.sellingPartnerId);
    const tokens = await exchangeAuthorizationCode(config, { code: redirect.searchParams.get("spapi_oauth_code")!, redirectUri: SANDBOX_APP.redirectUri });
    expect(tokens.refreshToken).toMatch(/^Atzr\|/);
    const client = createSpApiClient(config, { sellingPartnerId: seller.sellingPartnerId, refreshToken: tokens.refreshToken });
    const page = await client.getReports({ reportTypes: ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"], pageSize: 10 });
    expect(Array.isArray(page.reports)).toBe(true);
  });

  it("gets invalid_grant (not a disconnected seller) for a reused or unknown code", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { code } = await connect(sb, config, 1);
    for (const bad of [code, "made-up-code"]) {
      const err = await exchangeAuthorizationCode(config, { code: bad, redirectUri: SANDBOX_APP.redirectUri }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LwaError);
      expect(err).not.toBeInstanceOf(SellerDisconnectedError);
      expect(err).toMatchObject({ oauthError: "invalid_grant", grantType: "authorization_code" });
    }
  });

  it("refreshes the access token before it expires", async () => {
    const { config, events } = sandboxConfig(sb, SCALE);
    const { client } = await connect(sb, config, 0);
    await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 });
    const lwaBefore = events.filter((e) => e.operation === "lwa").length;
    await new Promise((r) => setTimeout(r, 1_100)); // > 55 sandbox minutes
    await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 });
    expect(events.filter((e) => e.operation === "lwa").length).toBe(lwaBefore + 1);
    expect(events.filter((e) => e.operation === "getReports").map((e) => e.status)).toEqual([200, 200]);
  });

  it("refreshes once when Amazon rejects a token the client still thought valid", async () => {
    // A frozen client clock: the cache never sees the token age, the sandbox does.
    const frozen = Number(sb.clock.now());
    const base = sandboxConfig(sb, SCALE);
    const { config, events } = sandboxConfig(sb, SCALE, { clock: { now: () => frozen }, rateLimiter: base.config.rateLimiter });
    const { client } = await connect(sb, config, 2);
    await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 });
    await new Promise((r) => setTimeout(r, 1_200)); // the token is now expired at the sandbox
    await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 });
    expect(events.filter((e) => e.operation === "getReports").map((e) => e.status)).toEqual([200, expect.any(Number), 200]);
    expect([401, 403]).toContain(events.filter((e) => e.operation === "getReports")[1]!.status);
  });

  it("reports a revoked authorization as SellerDisconnectedError and does not retry it", async () => {
    const { config, events } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 1);
    await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 });
    await sb.revoke(seller.sellingPartnerId);
    await new Promise((r) => setTimeout(r, 1_100)); // let the cached access token age out
    const err = await client.getReports({ reportTypes: ["GET_LEDGER_DETAIL_VIEW_DATA"], pageSize: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SellerDisconnectedError);
    expect(err).toMatchObject({ sellingPartnerId: seller.sellingPartnerId, oauthError: "invalid_grant" });
    const lwaFailures = events.filter((e) => e.operation === "lwa" && e.status !== 200);
    expect(lwaFailures).toHaveLength(1);
  });
});

describe("SP-API sandbox: JSON operations", () => {
  const SCALE = 60;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, seed: 3, size: "small", timeScale: SCALE, startTime: WORLD_START, sellers: 1 });
  });
  afterAll(async () => sb?.close());

  it("reads financial events, orders and items, inventory, inbound shipments and items through the models", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 0);
    const marketplaceId = seller.marketplaceIds[0]!;
    const now = Number(sb.clock.now());
    const iso = (ms: number) => new Date(ms).toISOString();

    let pages = 0;
    let shipmentEvents = 0;
    for await (const page of client.listFinancialEventsPages({ PostedAfter: iso(now - 30 * 86_400_000), PostedBefore: iso(now - 5 * 60_000), MaxResultsPerPage: 100 })) {
      pages++;
      shipmentEvents += page.FinancialEvents?.ShipmentEventList?.length ?? 0;
      for (const a of page.FinancialEvents?.AdjustmentEventList ?? []) {
        const amount = a.AdjustmentAmount;
        if (amount?.CurrencyAmount != null) expect(Number.isInteger(amountToMinorUnits(amount.CurrencyAmount, amount.CurrencyCode))).toBe(true);
      }
    }
    expect(pages).toBeGreaterThan(0);
    expect(shipmentEvents).toBeGreaterThan(0);

    const orders = await client.getOrders({ MarketplaceIds: [marketplaceId], CreatedAfter: iso(now - 30 * 86_400_000), MaxResultsPerPage: 50 });
    expect(orders.Orders.length).toBeGreaterThan(0);
    const orderIds = new Set<string>();
    let orderPages = 0;
    for await (const page of client.getOrdersPages({ MarketplaceIds: [marketplaceId], CreatedAfter: iso(now - 10 * 86_400_000), MaxResultsPerPage: 50 })) {
      orderPages++;
      for (const o of page.Orders) orderIds.add(o.AmazonOrderId);
    }
    expect(orderPages).toBeGreaterThan(1); // NextToken was followed
    expect(orderIds.size).toBeGreaterThan(50);
    const items = await client.getAllOrderItems(orders.Orders[0]!.AmazonOrderId);
    expect(items.AmazonOrderId).toBe(orders.Orders[0]!.AmazonOrderId);
    expect(items.OrderItems.length).toBeGreaterThan(0);

    let summaries = 0;
    for await (const page of client.getInventorySummariesPages({ marketplaceId, details: true })) summaries += page.payload.inventorySummaries.length;
    expect(summaries).toBeGreaterThan(0);

    const shipments = [];
    for await (const page of client.getShipmentsPages({
      MarketplaceId: marketplaceId,
      QueryType: "DATE_RANGE",
      LastUpdatedAfter: iso(now - 180 * 86_400_000),
      LastUpdatedBefore: iso(now - 60_000),
    })) {
      shipments.push(...(page.ShipmentData ?? []));
    }
    expect(shipments.length).toBeGreaterThan(0);
    const shipmentId = shipments[0]!.ShipmentId!;
    const shipmentItems = await client.getShipmentItemsByShipmentId(shipmentId, marketplaceId);
    expect(shipmentItems.ItemData?.length).toBeGreaterThan(0);
    expect(shipmentItems.ItemData!.every((i) => Number.isInteger(i.QuantityShipped))).toBe(true);
  });
});

describe("SP-API sandbox: usage plans under a 429 storm", () => {
  // A low scale: the in-process sandbox sometimes stalls its event loop for tens of milliseconds,
  // which a large scale would turn into seconds of sandbox time with requests bunched up behind it.
  const SCALE = 10;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, seed: 11, size: "small", timeScale: SCALE, startTime: WORLD_START, sellers: 1 });
  });
  afterAll(async () => sb?.close());

  it("never sends faster than rate/burst per operation, retries the throttled calls and finishes them all", async () => {
    const sent: Array<{ op: string; at: number }> = [];
    const path2op: Array<[RegExp, string]> = [
      [/\/fba\/inventory\/v1\/summaries$/, "getInventorySummaries"],
      [/\/orders\/v0\/orders\/[^/]+\/orderItems$/, "getOrderItems"],
      [/\/fba\/inbound\/v0\/shipments$/, "getShipments"],
    ];
    const recordingFetch: typeof fetch = (input, init) => {
      const path = new URL(String(input)).pathname;
      const op = path2op.find(([re]) => re.test(path))?.[1];
      if (op) sent.push({ op, at: Number(sb.clock.now()) });
      return fetch(input, init);
    };
    const { config } = sandboxConfig(sb, SCALE, { fetch: recordingFetch });
    const { client, seller } = await connect(sb, config, 0);
    const marketplaceId = seller.marketplaceIds[0]!;
    const since = new Date(Number(sb.clock.now()) - 90 * 86_400_000).toISOString();
    const until = new Date(Number(sb.clock.now()) - 60_000).toISOString();
    // Operations the sandbox answers cheaply: an expensive handler (financial events) stalls its
    // event loop, and requests queued behind a stall arrive bunched in sandbox time.
    // Warm them first: the first answer per operation builds state.
    await client.getInventorySummaries({ marketplaceId, details: true });
    const { Orders } = await client.getOrders({ MarketplaceIds: [marketplaceId], CreatedAfter: since, MaxResultsPerPage: 10 });
    const orderId = Orders[0]!.AmazonOrderId;
    await client.getOrderItems(orderId);
    await client.getShipments({ MarketplaceId: marketplaceId, QueryType: "DATE_RANGE", LastUpdatedAfter: since, LastUpdatedBefore: until });
    const stormStart = Number(sb.clock.now());
    sb.setFaults({ throttle: { "*": 0.3 } });
    const results = await Promise.allSettled([
      ...Array.from({ length: 16 }, () => client.getInventorySummaries({ marketplaceId, details: true })),
      ...Array.from({ length: 40 }, () => client.getOrderItems(orderId)),
      ...Array.from({ length: 40 }, () =>
        client.getShipments({ MarketplaceId: marketplaceId, QueryType: "DATE_RANGE", LastUpdatedAfter: since, LastUpdatedBefore: until }),
      ),
    ]);
    sb.setFaults({});
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const calls = sb.calls().filter((c) => c.sellingPartnerId === seller.sellingPartnerId && Date.parse(c.time) >= stormStart);
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(10); // the storm happened
    for (const op of ["getInventorySummaries", "getOrderItems", "getShipments"] as const) {
      const { rate, burst } = OPERATIONS[op];
      // Send and arrival times carry event-loop jitter (×10 in sandbox time), so one call of slack
      // at the window edges; a limiter that does not pace at all overshoots by ~28 here.
      expect(worstPlanExcess(sent.filter((s) => s.op === op).map((s) => s.at), rate, burst), `${op} sent`).toBeLessThanOrEqual(1);
      const seen = calls.filter((c) => c.operation === op).map((c) => Date.parse(c.time));
      expect(seen.length).toBeGreaterThan(op === "getInventorySummaries" ? 16 : 40);
      expect(worstPlanExcess(seen, rate, burst), `${op} seen by the sandbox`).toBeLessThanOrEqual(1);
    }
  });
});

describe("SP-API sandbox: reports", () => {
  const SCALE = 120;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, seed: 5, size: "small", timeScale: SCALE, startTime: WORLD_START, sellers: 4, reportProcessingSeconds: 30 });
  });
  afterAll(async () => sb?.close());

  const window = () => {
    const end = Number(sb.clock.now()) - 60 * 60_000;
    return { dataStartTime: new Date(end - 90 * 86_400_000).toISOString(), dataEndTime: new Date(end).toISOString() };
  };

  it("creates, polls, downloads and parses every report type without a malformed row", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 0);
    const requestable = REPORT_TYPES.filter((t) => REPORT_DEFINITIONS[t].requestable);
    const outcomes = await Promise.all(
      requestable.map(async (reportType) => {
        const reportId = await createReport(client, { reportType, marketplaceIds: seller.marketplaceIds, ...window() });
        const done = await waitForReport(client, reportId, { initialIntervalMs: 10_000, maxIntervalMs: 60_000 });
        return { reportType, done };
      }),
    );
    // Settlement reports cannot be requested: list them.
    const settlements = await client.getReports({ reportTypes: ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"], processingStatuses: ["DONE"], pageSize: 10 });
    const settlement = settlements.reports.find((r) => r.reportDocumentId);
    expect(settlement).toBeDefined();
    const documents: Array<{ reportType: ReportType; reportDocumentId: string }> = [
      { reportType: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", reportDocumentId: settlement!.reportDocumentId! },
    ];
    for (const o of outcomes) if (o.done.state === "done") documents.push({ reportType: o.reportType, reportDocumentId: o.done.reportDocumentId });
    // Most types have data in a 90-day window of a synthetic seller.
    expect(documents.length).toBeGreaterThanOrEqual(10);

    const summary: Record<string, { rows: number; malformed: number }> = {};
    for (const d of documents) {
      const stream = await streamReportRows(client, { ...d, batchSize: 500 });
      let rows = 0;
      for await (const batch of stream) {
        rows += batch.rows.length;
        for (const r of batch.rows) expect(Object.keys(r.raw).length).toBe(stream.summary.headers.length);
      }
      summary[d.reportType] = { rows, malformed: stream.summary.malformedCount };
      expect(stream.summary.unknownHeaders, d.reportType).toEqual([]);
    }
    for (const [type, s] of Object.entries(summary)) {
      expect(s.malformed, type).toBe(0);
      expect(s.rows, type).toBeGreaterThan(0);
    }
  });

  it("counts malformed rows with line numbers and reasons and still yields the good ones", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 1);
    sb.setFaults({ malformedRows: 1 });
    try {
      const reportId = await createReport(client, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", marketplaceIds: seller.marketplaceIds, ...window() });
      const done = await waitForReport(client, reportId, { initialIntervalMs: 10_000 });
      expect(done.state).toBe("done");
      if (done.state !== "done") return;
      const stream = await streamReportRows(client, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", reportDocumentId: done.reportDocumentId, maxMalformedSamples: 5 });
      let rows = 0;
      for await (const b of stream) rows += b.rows.length;
      expect(rows).toBeGreaterThan(0);
      expect(stream.summary.malformedCount).toBeGreaterThan(0);
      expect(stream.summary.malformedSamples.length).toBe(Math.min(5, stream.summary.malformedCount));
      for (const m of stream.summary.malformedSamples) {
        expect(m.line).toBeGreaterThan(1);
        expect(m.reason).toMatch(/columns|not an integer|not a date|is empty|not/);
      }
    } finally {
      sb.setFaults({});
    }
  });

  it("fails a corrupt gzip document with ReportDocumentCorruptError", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 2);
    sb.setFaults({ corruptDocument: 1 });
    try {
      const reportId = await createReport(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", marketplaceIds: seller.marketplaceIds, ...window() });
      const done = await waitForReport(client, reportId, { initialIntervalMs: 10_000 });
      expect(done.state).toBe("done");
      if (done.state !== "done") return;
      const stream = await streamReportRows(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", reportDocumentId: done.reportDocumentId });
      const err = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportDocumentCorruptError);
      expect((err as ReportDocumentCorruptError).reportDocumentId).toBe(done.reportDocumentId);
    } finally {
      sb.setFaults({});
    }
  });

  it("treats CANCELLED as an empty result and FATAL as a typed error with Amazon's reason", async () => {
    const { config } = sandboxConfig(sb, SCALE);
    const { client, seller } = await connect(sb, config, 3);
    sb.setFaults({ reportCancelled: 1 });
    try {
      const id = await createReport(client, { reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", marketplaceIds: seller.marketplaceIds, ...window() });
      await expect(waitForReport(client, id, { initialIntervalMs: 10_000 })).resolves.toMatchObject({ state: "empty" });
      sb.setFaults({ reportFatal: 1 });
      const fatalId = await createReport(client, { reportType: "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA", marketplaceIds: seller.marketplaceIds, ...window() });
      const err = await waitForReport(client, fatalId, { initialIntervalMs: 10_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportFatalError);
      expect(err).toMatchObject({ reportId: fatalId, reportType: "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA" });
      // The sandbox, like Amazon, explains a FATAL in a JSON document; the error carries that text.
      expect((err as ReportFatalError).reportDocumentId).toBeTruthy();
      expect((err as ReportFatalError).errorDetails).toMatch(/A client error occurred.*Injected fault/);
      // One check of a finished report answers at once.
      await expect(checkReport(client, id)).resolves.toMatchObject({ state: "empty" });
    } finally {
      sb.setFaults({});
    }
  });
});
