import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AccessTokenCache } from "./access-token-cache";
import { checkReport, waitForReport } from "./check-report";
import { createReport, findReusableReport } from "./create-report";
import { ReportDownloadError, ReportFatalError, ReportTimeoutError } from "./errors";
import { TokenBucketRateLimiter } from "./rate-limit/token-bucket";
import { createSpApiClient } from "./sp-api-client";
import { fetchReport, streamReportRows } from "./stream-report-rows";
import { VirtualTime } from "../../tests/support/amazon/virtual-time";

const LWA = "https://lwa.test/token";
const API = "https://api.test";
const DOCS = "https://docs.test";
const HEADER = "approval-date\treimbursement-id\tsku\tfnsku\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-total\tproduct-name";
const ROW = "2026-05-10T01:02:03+00:00\tR1\tSKU1\tX1\tEUR\t10,50\t21,00\t2\tCrème brûlée";

interface Doc {
  body: Buffer;
  headers?: Record<string, string>;
  status?: number;
  compressed?: boolean;
}

function harness(opts: { reports?: Array<Record<string, unknown>>; docs?: Record<string, Doc>; list?: Array<Record<string, unknown>> } = {}) {
  const vt = new VirtualTime();
  const reports = [...(opts.reports ?? [])];
  const docHeaders: Array<Headers> = [];
  const apiPaths: string[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.toString() === LWA) return Response.json({ access_token: "Atza|a", refresh_token: "Atzr|r", expires_in: 3600, token_type: "bearer" });
    if (url.origin === DOCS) {
      docHeaders.push(new Headers(init?.headers));
      const doc = opts.docs?.[url.pathname.slice(1)];
      if (!doc) return new Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Signature>sig</X-Amz-Signature></Error>", { status: 403 });
      return new Response(new Uint8Array(doc.body), { status: doc.status ?? 200, headers: doc.headers });
    }
    apiPaths.push(`${init?.method ?? "GET"} ${url.pathname}`);
    if (url.pathname === "/reports/2021-06-30/reports" && init?.method === "POST") return Response.json({ reportId: "R1" }, { status: 202 });
    if (url.pathname === "/reports/2021-06-30/reports") return Response.json({ reports: opts.list ?? [] });
    const docMatch = /^\/reports\/2021-06-30\/documents\/(.+)$/.exec(url.pathname);
    if (docMatch) {
      const id = docMatch[1]!;
      const doc = opts.docs?.[id];
      return Response.json({ reportDocumentId: id, url: `${DOCS}/${id}?X-Amz-Signature=secret-sig`, ...(doc?.compressed ? { compressionAlgorithm: "GZIP" } : {}) });
    }
    if (url.pathname.startsWith("/reports/2021-06-30/reports/")) {
      const r = reports.length > 1 ? reports.shift()! : reports[0]!;
      return Response.json({ reportId: "R1", reportType: "GET_FBA_REIMBURSEMENTS_DATA", createdTime: "2026-01-01T00:00:00Z", ...r });
    }
    return new Response("{}", { status: 404 });
  }) as typeof fetch;
  const client = createSpApiClient(
    {
      spApiEndpoint: API,
      lwaEndpoint: LWA,
      clientId: "c",
      clientSecret: "s",
      clock: vt.clock,
      sleep: vt.sleep,
      fetch: fakeFetch,
      rateLimiter: new TokenBucketRateLimiter({ clock: vt.clock, sleep: vt.sleep }),
      tokenCache: new AccessTokenCache(),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    },
    { sellingPartnerId: "A1", refreshToken: "Atzr|r" },
  );
  return { vt, client, docHeaders, apiPaths };
}

async function readRows(stream: AsyncIterable<{ rows: Array<{ data: unknown }> }>) {
  const rows: unknown[] = [];
  for await (const b of stream) rows.push(...b.rows.map((r) => r.data));
  return rows;
}

describe("streamReportRows", () => {
  it("downloads the pre-signed URL without SP-API headers, gunzips and decodes Latin-1", async () => {
    const body = gzipSync(Buffer.from(`${HEADER}\n${ROW}\n`, "latin1"));
    const { vt, client, docHeaders } = harness({ docs: { D1: { body, compressed: true, headers: { "content-type": "text/plain" } } } });
    const stream = await vt.run(streamReportRows(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", reportDocumentId: "D1" }));
    const rows = await vt.run(readRows(stream));
    expect(rows).toEqual([expect.objectContaining({ reimbursementId: "R1", amountPerUnit: 1050, amountTotal: 2100, productName: "Crème brûlée" })]);
    expect(stream.charset).toBe("windows-1252");
    expect(docHeaders[0]!.get("x-amz-access-token")).toBeNull();
  });

  it("honours charset=UTF-8 and a transport Content-Encoding that fetch already undid", async () => {
    const body = gzipSync(Buffer.from(`${HEADER}\n${ROW}\n`, "utf8"));
    const { vt, client } = harness({
      docs: { D2: { body, compressed: true, headers: { "content-type": "text/plain;charset=UTF-8", "content-encoding": "gzip" } } },
    });
    const stream = await vt.run(streamReportRows(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", reportDocumentId: "D2" }));
    const rows = await vt.run(readRows(stream));
    expect(rows).toEqual([expect.objectContaining({ productName: "Crème brûlée" })]);
    expect(stream.charset).toBe("utf-8");
  });

  it("raises ReportDownloadError without the URL's signature when the URL is refused", async () => {
    const { vt, client } = harness({ docs: {} });
    const err = await vt.run(streamReportRows(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", reportDocumentId: "GONE" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportDownloadError);
    expect((err as Error).message).toContain("Request has expired");
    expect((err as Error).message).not.toContain("sig");
  });
});

describe("report lifecycle", () => {
  it("polls with growing waits until DONE", async () => {
    const { vt, client, apiPaths } = harness({
      reports: [{ processingStatus: "IN_QUEUE" }, { processingStatus: "IN_PROGRESS" }, { processingStatus: "DONE", reportDocumentId: "D9" }],
    });
    const start = vt.clock.now();
    const done = await vt.run(waitForReport(client, "R1", { initialIntervalMs: 1_000 }));
    expect(done).toMatchObject({ state: "done", reportDocumentId: "D9" });
    expect(vt.clock.now() - start).toBe(1_000 + 1_500);
    expect(apiPaths.filter((p) => p.startsWith("GET /reports/2021-06-30/reports/R1"))).toHaveLength(3);
  });

  it("gives up with ReportTimeoutError when the report stays queued", async () => {
    const { vt, client } = harness({ reports: [{ processingStatus: "IN_QUEUE" }] });
    await expect(vt.run(waitForReport(client, "R1", { initialIntervalMs: 1_000, timeoutMs: 10_000 }))).rejects.toBeInstanceOf(ReportTimeoutError);
  });

  it("maps CANCELLED and document-less DONE to empty", async () => {
    const a = harness({ reports: [{ processingStatus: "CANCELLED" }] });
    await expect(a.vt.run(checkReport(a.client, "R1"))).resolves.toMatchObject({ state: "empty" });
    const b = harness({ reports: [{ processingStatus: "DONE" }] });
    await expect(b.vt.run(checkReport(b.client, "R1"))).resolves.toMatchObject({ state: "empty" });
  });

  it("reads errorDetails from a FATAL report's document", async () => {
    const details = "A client error occurred. Please double check that your parameters are valid.";
    const { vt, client } = harness({
      reports: [{ processingStatus: "FATAL", reportDocumentId: "F1" }],
      docs: { F1: { body: gzipSync(JSON.stringify({ errorDetails: details })), compressed: true, headers: { "content-type": "application/json" } } },
    });
    const err = (await vt.run(checkReport(client, "R1")).catch((e: unknown) => e)) as ReportFatalError;
    expect(err).toBeInstanceOf(ReportFatalError);
    expect(err).toMatchObject({ reportId: "R1", reportDocumentId: "F1", errorDetails: details });
  });

  it("refuses to request a settlement report", async () => {
    const { vt, client, apiPaths } = harness();
    await expect(vt.run(createReport(client, { reportType: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", marketplaceIds: ["ATVPDKIKX0DER"] }))).rejects.toThrow(/cannot be requested/);
    expect(apiPaths).toEqual([]);
  });

  it("runs create → poll → stream in one call", async () => {
    const { vt, client } = harness({
      reports: [{ processingStatus: "IN_PROGRESS" }, { processingStatus: "DONE", reportDocumentId: "D1" }],
      docs: { D1: { body: Buffer.from(`${HEADER}\n${ROW}\n`, "latin1") } },
    });
    const result = await vt.run(fetchReport(client, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", marketplaceIds: ["A1PA6795UKMFR9"] }, { initialIntervalMs: 100 }));
    expect(result.status).toBe("done");
    if (result.status !== "done") return;
    expect(await vt.run(readRows(result.rows))).toHaveLength(1);
  });
});

describe("findReusableReport", () => {
  const base = { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", marketplaceIds: ["ATVPDKIKX0DER"], dataStartTime: "2026-01-01T00:00:00Z", dataEndTime: "2026-03-31T23:59:59Z" };
  it("picks the newest in-flight report for exactly the same request and ignores others", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const iso = (ms: number) => new Date(ms).toISOString();
    const { vt, client, apiPaths } = harness({
      list: [
        { ...base, reportId: "OLD", createdTime: iso(t0 - 60_000), processingStatus: "IN_QUEUE" },
        { ...base, reportId: "NEW", createdTime: iso(t0 - 1_000), processingStatus: "IN_PROGRESS" },
        { ...base, reportId: "OTHER-WINDOW", dataStartTime: "2026-01-02T00:00:00Z", createdTime: iso(t0), processingStatus: "IN_QUEUE" },
        { ...base, reportId: "OTHER-MKT", marketplaceIds: ["A2EUQ1WTGCTBG2"], createdTime: iso(t0), processingStatus: "IN_QUEUE" },
        { ...base, reportId: "DONE", createdTime: iso(t0), processingStatus: "DONE", reportDocumentId: "D" },
      ],
    });
    const found = await vt.run(findReusableReport(client, { ...base, dataStartTime: "2026-01-01T00:00:00.000Z" }));
    expect(found?.reportId).toBe("NEW");
    expect(apiPaths).toEqual(["GET /reports/2021-06-30/reports"]);
    const withDone = await vt.run(findReusableReport(client, base, { maxDoneAgeMs: 3_600_000 }));
    expect(withDone?.reportId).toBe("DONE");
  });
});
