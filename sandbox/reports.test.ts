import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPORT_COLUMNS, REPORT_TYPES } from "./reports/report-columns";
import type { Sandbox } from "./server";
import { authorize, call, createAndWait, DAY, downloadDocument, isoAgo, sleep, start } from "./test-support/harness";

const REPORTS = "/reports/2021-06-30/reports";
const US = ["ATVPDKIKX0DER"];

describe("report lifecycle and documents", () => {
  let sb: Sandbox;
  let token: string;
  let other: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 2, reportCooldown: "off" });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
    other = (await authorize(sb, 1)).accessToken;
  });
  afterAll(() => sb.close());

  const REQUESTABLE = REPORT_TYPES.filter((t) => t !== "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2");
  let finished: Map<string, Promise<{ processingStatus: string; reportDocumentId: string }>> | null = null;
  // All types are requested at once (their quota allows it); each test then checks its own document.
  const finishedReport = (type: string) => {
    finished ??= new Map(REQUESTABLE.map((reportType) => [reportType, createAndWait(sb, token, { reportType, dataStartTime: isoAgo(sb, 120 * DAY), dataEndTime: isoAgo(sb, 60_000) })]));
    return finished.get(type)!;
  };

  it.each(REQUESTABLE)("writes %s as gzip TSV whose header row is the documented column list", async (type) => {
    const report = await finishedReport(type);
    expect(report.processingStatus).toBe("DONE");
    const doc = await downloadDocument(sb, token, report.reportDocumentId);
    expect(doc.meta.compressionAlgorithm).toBe("GZIP");
    expect(doc.lines[0]).toEqual([...REPORT_COLUMNS[type]]);
    expect(doc.lines.length).toBeGreaterThan(1);
    for (const line of doc.lines) expect(line.length).toBe(REPORT_COLUMNS[type].length);
  });

  it("lists Amazon-generated settlement reports of the last 90 days only, with documents whose header matches", async () => {
    const r = await call(sb, token, "GET", REPORTS, { query: { reportTypes: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", pageSize: 100 } });
    expect(r.status).toBe(200);
    expect(r.body.reports.length).toBeGreaterThanOrEqual(5);
    expect(r.body.reports.length).toBeLessThanOrEqual(7);
    for (const rep of r.body.reports) {
      expect(rep.processingStatus).toBe("DONE");
      expect(Date.parse(rep.createdTime)).toBeGreaterThanOrEqual(sb.clock.nowMs() - 90 * DAY);
    }
    const doc = await downloadDocument(sb, token, r.body.reports[0].reportDocumentId);
    expect(doc.lines[0]).toEqual([...REPORT_COLUMNS.GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2]);
    const [summary, ...lines] = doc.lines.slice(1);
    const amountCol = REPORT_COLUMNS.GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2.indexOf("amount");
    const totalCol = REPORT_COLUMNS.GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2.indexOf("total-amount");
    const sum = lines.reduce((a, l) => a + Math.round(Number(l[amountCol]) * 100), 0);
    expect(Math.round(Number(summary![totalCol]) * 100)).toBe(sum);
  });

  it("refuses to create settlement reports and unknown report types with 400 InvalidInput", async () => {
    for (const reportType of ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", "GET_NOT_A_REPORT"]) {
      const r = await call(sb, token, "POST", REPORTS, { body: { reportType, marketplaceIds: US } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].code).toBe("InvalidInput");
      expect(r.headers.get("x-amzn-ErrorType")).toBe("InvalidInputException");
    }
    const noMarketplace = await call(sb, token, "POST", REPORTS, { body: { reportType: "GET_LEDGER_DETAIL_VIEW_DATA" } });
    expect(noMarketplace.status).toBe(400);
    const emptyEventType = await call(sb, token, "POST", REPORTS, { body: { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", marketplaceIds: US, reportOptions: { eventType: "" } } });
    expect(emptyEventType.status).toBe(400);
  });

  it("aggregates the ledger summary by the requested period and filters ledger detail by eventType", async () => {
    const window = { dataStartTime: isoAgo(sb, 10 * DAY), dataEndTime: isoAgo(sb, 7 * DAY + 1) };
    const daily = await createAndWait(sb, token, { reportType: "GET_LEDGER_SUMMARY_VIEW_DATA", reportOptions: { aggregatedByTimePeriod: "DAILY" }, ...window });
    const dailyDates = new Set((await downloadDocument(sb, token, daily.reportDocumentId)).lines.slice(1).map((l) => l[0]));
    expect([...dailyDates].every((d) => /^\d{2}\/\d{2}\/\d{4}$/.test(d!))).toBe(true);
    expect(dailyDates.size).toBe(4);
    const monthly = await createAndWait(sb, token, { reportType: "GET_LEDGER_SUMMARY_VIEW_DATA", ...window });
    const monthlyDates = new Set((await downloadDocument(sb, token, monthly.reportDocumentId)).lines.slice(1).map((l) => l[0]));
    expect([...monthlyDates].every((d) => /^\d{2}\/\d{4}$/.test(d!))).toBe(true);
    const receipts = await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", reportOptions: { eventType: "Receipts" }, dataStartTime: isoAgo(sb, 60 * DAY) });
    const types = new Set((await downloadDocument(sb, token, receipts.reportDocumentId)).lines.slice(1).map((l) => l[5]));
    expect(types).toEqual(new Set(["Receipts"]));
    const both = await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", reportOptions: { eventType: "Receipts,Shipments" }, dataStartTime: isoAgo(sb, 60 * DAY) });
    expect(both.processingStatus).toBe("CANCELLED");
  });

  it("ends CANCELLED when the window has no data and FATAL with an explanation when it is older than the history", async () => {
    const empty = await createAndWait(sb, token, { reportType: "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA", dataStartTime: isoAgo(sb, 1.5 * 60_000), dataEndTime: isoAgo(sb, 60_000) });
    expect(empty.processingStatus).toBe("CANCELLED");
    expect(empty.reportDocumentId).toBeUndefined();
    const old = await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", dataStartTime: isoAgo(sb, 600 * DAY), dataEndTime: isoAgo(sb, 500 * DAY) });
    expect(old.processingStatus).toBe("FATAL");
    const doc = await downloadDocument(sb, token, old.reportDocumentId);
    expect(doc.meta.compressionAlgorithm).toBeUndefined();
    expect(JSON.parse(doc.text).errorDetails).toMatch(/history/);
  });

  it("keys reports by seller: another seller's token gets 404 for the report and its document", async () => {
    const mine = await createAndWait(sb, token, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", dataStartTime: isoAgo(sb, 200 * DAY) });
    expect((await call(sb, other, "GET", `${REPORTS}/${mine.reportId}`)).status).toBe(404);
    expect((await call(sb, other, "GET", `/reports/2021-06-30/documents/${mine.reportDocumentId}`)).status).toBe(404);
    expect((await call(sb, token, "GET", `${REPORTS}/${mine.reportId}`)).status).toBe(200);
  });

  it("adds Content-Encoding: gzip to the document URL when enableContentEncodingUrlHeader=true", async () => {
    const rep = await createAndWait(sb, token, { reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", dataStartTime: isoAgo(sb, 200 * DAY) });
    const meta = await call(sb, token, "GET", `/reports/2021-06-30/documents/${rep.reportDocumentId}`, { query: { enableContentEncodingUrlHeader: "true" } });
    const res = await fetch(meta.body.url);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    // fetch undoes the transport encoding, so the body arrives as plain TSV.
    expect((await res.text()).split("\n")[0]).toBe(REPORT_COLUMNS.GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.join("\t"));
  });

  it("pages getReports with a nextToken that must be the only parameter", async () => {
    const q = { reportTypes: "GET_FBA_REIMBURSEMENTS_DATA,GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", pageSize: 1 };
    const first = await call(sb, token, "GET", REPORTS, { query: q });
    expect(first.body.reports).toHaveLength(1);
    expect(first.body.nextToken).toBeTruthy();
    const second = await call(sb, token, "GET", REPORTS, { query: { nextToken: first.body.nextToken } });
    expect(second.status).toBe(200);
    expect(second.body.reports[0].reportId).not.toBe(first.body.reports[0].reportId);
    const mixed = await call(sb, token, "GET", REPORTS, { query: { nextToken: first.body.nextToken, pageSize: 5 } });
    expect(mixed.status).toBe(400);
    const none = await call(sb, token, "GET", REPORTS, { query: { pageSize: 5 } });
    expect(none.status).toBe(400);
    const filtered = await call(sb, token, "GET", REPORTS, { query: { reportTypes: "GET_FBA_REIMBURSEMENTS_DATA", processingStatuses: "FATAL" } });
    expect(filtered.body.reports).toEqual([]);
  });
});

describe("report processing and cooldowns", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    // x1200: 60 sandbox seconds of processing = 50 ms real; the 30-minute cooldown = 1.5 s real.
    sb = await start({ timeScale: 1200, sellers: 1, reportProcessingSeconds: 60, groundTruth: false });
  });
  // Access tokens live one sandbox hour = 6 s here.
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("cancels only IN_QUEUE reports", async () => {
    const created = await call(sb, token, "POST", REPORTS, { body: { reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", marketplaceIds: US, dataStartTime: isoAgo(sb, 10 * DAY) } });
    const cancel = await call(sb, token, "DELETE", `${REPORTS}/${created.body.reportId}`);
    expect(cancel.status).toBe(200);
    expect((await call(sb, token, "GET", `${REPORTS}/${created.body.reportId}`)).body.processingStatus).toBe("CANCELLED");
    expect((await call(sb, token, "DELETE", `${REPORTS}/${created.body.reportId}`)).status).toBe(400);
  });

  it("ends a near-real-time FBA report FATAL when requested again within 30 minutes; All Orders is exempt", async () => {
    const spec = { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", dataStartTime: isoAgo(sb, 30 * DAY) };
    const first = await createAndWait(sb, token, spec);
    const second = await createAndWait(sb, token, { ...spec, dataStartTime: isoAgo(sb, 60 * DAY) });
    expect(first.processingStatus).toBe("DONE");
    expect(second.processingStatus).toBe("FATAL");
    const orders = { reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", dataStartTime: isoAgo(sb, 20 * DAY) };
    expect((await createAndWait(sb, token, orders)).processingStatus).toBe("DONE");
    expect((await createAndWait(sb, token, orders)).processingStatus).toBe("DONE");
    // 30 sandbox minutes after the first accepted request the type can be regenerated.
    const wait = Date.parse(first.createdTime) + 30 * 60_000 - sb.clock.nowMs();
    if (wait > 0) await sleep(wait / 1200 + 50);
    token = (await authorize(sb, 0)).accessToken; // access tokens live 3 s real here
    expect((await createAndWait(sb, token, spec)).processingStatus).toBe("DONE");
  });

  it("applies the 4-hour cooldown to daily FBA reports", async () => {
    const spec = { reportType: "GET_FBA_REIMBURSEMENTS_DATA", dataStartTime: isoAgo(sb, 90 * DAY) };
    expect((await createAndWait(sb, token, spec)).processingStatus).toBe("DONE");
    await sleep((31 * 60_000) / 1200); // past a near-real-time cooldown, far inside the daily one
    token = (await authorize(sb, 0)).accessToken;
    expect((await createAndWait(sb, token, spec)).processingStatus).toBe("FATAL");
  });
});

describe("report fault injection", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 1, reportCooldown: "off", groundTruth: false });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());
  const spec = () => ({ reportType: "GET_LEDGER_DETAIL_VIEW_DATA", dataStartTime: isoAgo(sb, 60 * DAY) });

  it("serves a corrupt gzip document when corruptDocument is on", async () => {
    sb.setFaults({ corruptDocument: 1 });
    const rep = await createAndWait(sb, token, spec());
    sb.setFaults({});
    const meta = await call(sb, token, "GET", `/reports/2021-06-30/documents/${rep.reportDocumentId}`);
    const bytes = Buffer.from(await (await fetch(meta.body.url)).arrayBuffer());
    expect(() => gunzipSync(bytes)).toThrow();
  });

  it("writes malformed rows when malformedRows is on", async () => {
    await fetch(new URL("/__sandbox/faults", sb.url), { method: "POST", body: JSON.stringify({ malformedRows: 1 }) });
    const rep = await createAndWait(sb, token, spec());
    sb.setFaults({});
    const doc = await downloadDocument(sb, token, rep.reportDocumentId);
    const width = REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA.length;
    expect(doc.lines.some((l) => l.length !== width)).toBe(true);
    expect(doc.lines.some((l) => l.includes("N/A#"))).toBe(true);
  });

  it("ends reports FATAL or CANCELLED on demand", async () => {
    sb.setFaults({ reportFatal: 1 });
    expect((await createAndWait(sb, token, spec())).processingStatus).toBe("FATAL");
    sb.setFaults({ reportCancelled: 1 });
    expect((await createAndWait(sb, token, spec())).processingStatus).toBe("CANCELLED");
    sb.setFaults({});
    expect((await createAndWait(sb, token, spec())).processingStatus).toBe("DONE");
  });

  it("keeps a stuck report IN_QUEUE far past its processing time, where it can still be cancelled", async () => {
    sb.setFaults({ reportStuck: 1 });
    const created = await call(sb, token, "POST", REPORTS, { body: { marketplaceIds: US, ...spec() } });
    sb.setFaults({});
    await sleep((5 * 60_000) / 600); // five times the normal processing time
    expect((await call(sb, token, "GET", `${REPORTS}/${created.body.reportId}`)).body.processingStatus).toBe("IN_QUEUE");
    expect((await call(sb, token, "DELETE", `${REPORTS}/${created.body.reportId}`)).status).toBe(200);
  });

  it("injects 500, 503, latency and dropped connections per operation", async () => {
    sb.setFaults({ error500: { getReports: 1 } });
    const q = { query: { reportTypes: "GET_LEDGER_DETAIL_VIEW_DATA" } };
    const r500 = await call(sb, token, "GET", REPORTS, q);
    expect(r500.status).toBe(500);
    expect(r500.body.errors[0].code).toBe("InternalFailure");
    sb.setFaults({ error503: { "*": 1 } });
    expect((await call(sb, token, "GET", REPORTS, q)).status).toBe(503);
    sb.setFaults({ latencyMs: { getReports: 300 } });
    const t0 = Date.now();
    expect((await call(sb, token, "GET", REPORTS, q)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    sb.setFaults({ dropConnection: { getReports: 1 } });
    await expect(fetch(new URL(`${REPORTS}?reportTypes=GET_LEDGER_DETAIL_VIEW_DATA`, sb.url), { headers: { "x-amz-access-token": token } })).rejects.toThrow();
    sb.setFaults({});
    expect((await call(sb, token, "GET", REPORTS, q)).status).toBe(200);
  });
});

describe("document URLs", () => {
  // x120: the 5-minute URL life is 2.5 s real, so the first download is never late on a loaded box.
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 120, sellers: 1, reportProcessingSeconds: 10, groundTruth: false });
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("serves document URLs without auth for 5 sandbox minutes, then answers 403 AccessDenied", async () => {
    const rep = await createAndWait(sb, token, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", dataStartTime: isoAgo(sb, 200 * DAY) });
    const meta = await call(sb, token, "GET", `/reports/2021-06-30/documents/${rep.reportDocumentId}`);
    const ok = await fetch(meta.body.url);
    expect(ok.status).toBe(200);
    expect(gunzipSync(Buffer.from(await ok.arrayBuffer())).toString("utf8").split("\n")[0]).toBe(REPORT_COLUMNS.GET_FBA_REIMBURSEMENTS_DATA.join("\t"));
    const tampered = new URL(meta.body.url);
    tampered.searchParams.set("X-Amz-Issued", String(sb.clock.nowMs() + DAY));
    expect((await fetch(tampered)).status).toBe(403);
    await sleep((5 * 60_000) / 120 + 100);
    const late = await fetch(meta.body.url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain("<Code>AccessDenied</Code>");
  });

});

describe("report processing time", () => {
  // 1800 sandbox seconds at x600 = 3 s real, the first 0.75 s IN_QUEUE.
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 1, reportProcessingSeconds: 1800, groundTruth: false });
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("moves a report IN_QUEUE -> IN_PROGRESS -> DONE over the configured processing time", async () => {
    const created = await call(sb, token, "POST", REPORTS, { body: { reportType: "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA", marketplaceIds: US, dataStartTime: isoAgo(sb, 300 * DAY) } });
    const seen: string[] = [];
    const t0 = Date.now();
    for (;;) {
      const r = await call(sb, token, "GET", `${REPORTS}/${created.body.reportId}`);
      if (seen.at(-1) !== r.body.processingStatus) seen.push(r.body.processingStatus);
      if (r.body.processingStatus === "DONE") {
        expect(r.body.processingStartTime).toBeTruthy();
        expect(Date.parse(r.body.processingEndTime) - Date.parse(r.body.createdTime)).toBe(1_800_000);
        break;
      }
      await sleep(50);
    }
    expect(seen).toEqual(["IN_QUEUE", "IN_PROGRESS", "DONE"]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_900);
  });

});
