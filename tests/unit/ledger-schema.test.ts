import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LEDGER_REPORTS_FILE, renderLedgerReportSchema } from "@/scripts/db/ledger-schema";

describe("ledger schema", () => {
  it("is what the sync plan and the report row shapes generate (run `npm run db:ledger` after changing either)", () => {
    expect(readFileSync(LEDGER_REPORTS_FILE, "utf8")).toBe(renderLedgerReportSchema());
  });
});
