// Faults aimed at one report type (FaultConfig.reportTypes): a refused type answers 403 on
// createReport, counted faults hit the next reports of that type only and are used up.
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { authorize, call, createAndWait, DAY, downloadDocument, isoAgo, start } from "./test-support/harness";

const REPORTS = "/reports/2021-06-30/reports";
const US = ["ATVPDKIKX0DER"];

describe("report-type faults", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await start({ timeScale: 600, sellers: 1, reportCooldown: "off", groundTruth: false });
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
    sb.setFaults({});
  });
  afterAll(() => sb.close());
  const spec = (reportType: string) => ({ reportType, dataStartTime: isoAgo(sb, 60 * DAY) });

  it("refuses createReport of a refused type with 403 Unauthorized and leaves other types alone", async () => {
    sb.setFaults({ reportTypes: { GET_FBA_REIMBURSEMENTS_DATA: { refuse: true } } });
    const refused = await call(sb, token, "POST", REPORTS, { body: { marketplaceIds: US, ...spec("GET_FBA_REIMBURSEMENTS_DATA") } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toMatchObject({ code: "Unauthorized", message: "Access to requested resource is denied." });
    const listed = await call(sb, token, "GET", REPORTS, { query: { reportTypes: "GET_FBA_REIMBURSEMENTS_DATA" } });
    expect(listed.body.reports).toEqual([]);
    expect((await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"))).processingStatus).toBe("DONE");
    const log = sb.calls().filter((c) => c.operation === "createReport");
    expect(log.map((c) => c.status)).toEqual([403, 202]);
  });

  it("ends the next n reports of a type FATAL, then serves that type normally; other types are not touched", async () => {
    sb.setFaults({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { fatal: 1 } } });
    expect((await createAndWait(sb, token, spec("GET_FBA_REIMBURSEMENTS_DATA"))).processingStatus).toBe("DONE");
    expect((await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"))).processingStatus).toBe("FATAL");
    expect((await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"))).processingStatus).toBe("DONE");
    // Counted down where GET /__sandbox/faults shows it.
    const left = JSON.parse(await (await fetch(new URL("/__sandbox/faults", sb.url))).text());
    expect(left).toEqual({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { fatal: 0 } } });
  });

  it("cancels, corrupts and malforms the next report of a type", async () => {
    sb.setFaults({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { cancelled: 1 } } });
    expect((await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"))).processingStatus).toBe("CANCELLED");

    sb.setFaults({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { corruptDocument: 1 } } });
    const corrupt = await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"));
    const meta = await call(sb, token, "GET", `/reports/2021-06-30/documents/${corrupt.reportDocumentId}`);
    const bytes = Buffer.from(await (await fetch(meta.body.url)).arrayBuffer());
    expect(() => gunzipSync(bytes)).toThrow();
    const next = await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"));
    expect((await downloadDocument(sb, token, next.reportDocumentId)).lines.length).toBeGreaterThan(1);

    sb.setFaults({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { malformedRows: 1 } } });
    const malformed = await createAndWait(sb, token, spec("GET_LEDGER_DETAIL_VIEW_DATA"));
    const doc = await downloadDocument(sb, token, malformed.reportDocumentId);
    expect(doc.lines.some((l) => l.includes("N/A#"))).toBe(true);
  });

  it("rejects unknown knobs of a report type", () => {
    expect(() => sb.setFaults({ reportTypes: { GET_LEDGER_DETAIL_VIEW_DATA: { explode: 1 } } } as never)).toThrow();
  });
});
