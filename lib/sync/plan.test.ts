import { describe, expect, it } from "vitest";
import { reportDefinition } from "../amazon/report-types";
import { DATA_SOURCE_GROUPS, planByPriority, SYNC_PLAN } from "./plan";

describe("sync plan", () => {
  it("names each source, table and priority once", () => {
    for (const key of ["source", "table", "priority"] as const) {
      const values = SYNC_PLAN.map((e) => e[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it("feeds every data-source card", () => {
    expect(new Set(SYNC_PLAN.map((e) => e.group))).toEqual(new Set(Object.keys(DATA_SOURCE_GROUPS)));
  });

  it("keys report tables by the report's own natural key (snapshots add the pull date, the ledger, orders and shipments the copy number)", () => {
    for (const entry of SYNC_PLAN) {
      if (entry.kind === "api" || entry.kind === "snapshot-api") continue;
      const key = [...reportDefinition(entry.reportType).naturalKey] as string[];
      const expected = entry.kind === "snapshot-report" ? ["snapshotDate", ...key] : ["ledger-detail", "all-orders", "customer-shipments"].includes(entry.source) ? [...key, "occurrence"] : key;
      expect(entry.naturalKey, entry.source).toEqual(expected);
    }
  });

  it("requests only what Amazon lets us request, and lists the rest", () => {
    for (const entry of SYNC_PLAN) {
      if (entry.kind === "api" || entry.kind === "snapshot-api") continue;
      expect(reportDefinition(entry.reportType).requestable, entry.source).toBe(entry.kind !== "listed-report");
    }
  });

  it("keeps financial-event windows within Amazon's 180 days and pulls the claim sources first", () => {
    const finances = SYNC_PLAN.find((e) => e.source === "financial-events");
    expect(finances?.kind === "api" && finances.maxWindowDays <= 180).toBe(true);
    expect(planByPriority().slice(0, 4).map((e) => e.source)).toEqual(["ledger-detail", "reimbursements", "customer-returns", "financial-events"]);
  });
});
