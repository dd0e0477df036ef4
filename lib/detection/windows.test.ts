// Claim windows against the policy rows the migration seeds (read from the migration itself, so the
// seed and detection.md §1 are held together): the row valid on the anchor day per marketplace level,
// opensAt/deadline, and the status and days a reader sees with a pinned clock.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween, daysRemaining, derivedStatus, fileBy, policyFor, windowFor, type WindowPolicy } from "./windows";

function seededPolicies(): WindowPolicy[] {
  const dir = path.join(process.cwd(), "prisma/migrations");
  const file = readdirSync(dir).find((d) => d.endsWith("_detection"))!;
  const sql = readFileSync(path.join(dir, file, "migration.sql"), "utf8");
  const rows = [...sql.matchAll(/\('([^']+)',\s*'([^']+)',\s*'([^']+)',\s*'(\d{4}-\d{2}-\d{2})',\s*(\d+),\s*(\d+|NULL),\s*'([^']+)',\s*(true|false),\s*'((?:[^']|'')*)'\)/g)];
  return rows.map((m) => ({
    id: m[1]!,
    marketplaceId: m[2]!,
    claimFamily: m[3]!,
    effectiveFrom: m[4]!,
    opensAfterDays: Number(m[5]),
    closesAfterDays: m[6] === "NULL" ? null : Number(m[6]),
    anchor: m[7]!,
    verify: m[8] === "true",
    note: m[9]!,
  }));
}

const policies = seededPolicies();
const US = "ATVPDKIKX0DER";
const DE = "A1PA6795UKMFR9";
const UK = "A1F83G8C2ARO7P";
const AE = "A2VIGQ35RCS4UG";
const JP = "A1VC38T7YXB528";

describe("claim window policy seed", () => {
  it("holds detection.md §1's windows", () => {
    expect(policies.length).toBeGreaterThanOrEqual(40);
    const w = (marketplace: string, family: Parameters<typeof policyFor>[2], anchor: string) => {
      const p = policyFor(policies, marketplace, family, anchor)!;
      return { id: p.id, ...windowFor(p, anchor) };
    };
    // US since 2024-10-23: FC lost 0-60, damaged 10-60, returns 60-120, removal lost 15-75, delivered 0-60.
    expect(w(US, "fc-lost", "2026-10-01")).toMatchObject({ id: "default-fc-lost-2024-10-23", opensAt: "2026-10-01", deadline: "2026-11-30" });
    expect(w(US, "fc-damaged", "2026-10-01")).toMatchObject({ opensAt: "2026-10-11", deadline: "2026-11-30" });
    expect(w(US, "customer-return", "2026-10-01")).toMatchObject({ opensAt: "2026-11-30", deadline: "2027-01-29" });
    expect(w(US, "removal-lost", "2026-10-01")).toMatchObject({ opensAt: "2026-10-16", deadline: "2026-12-15" });
    expect(w(US, "removal-delivered", "2026-10-01")).toMatchObject({ opensAt: "2026-10-01", deadline: "2026-11-30" });
    // Before the cut: 18 months.
    expect(w(US, "fc-lost", "2024-10-22")).toMatchObject({ id: "default-fc-lost-legacy", deadline: addDays("2024-10-22", 548) });
    // Inbound: marketplace-dependent, marked verify; US 9 months, EU 6, AE 15-60 after the 2024-09-05 cut.
    expect(w(US, "inbound-shortage", "2026-10-01")).toMatchObject({ deadline: addDays("2026-10-01", 270), verify: true });
    expect(w(DE, "inbound-shortage", "2026-10-01")).toMatchObject({ id: "eu-inbound-shortage", deadline: addDays("2026-10-01", 180), verify: true });
    expect(w(AE, "inbound-shortage", "2026-10-01")).toMatchObject({ id: "ae-inbound-shortage-2024-09-05", opensAt: "2026-10-16", deadline: "2026-11-30" });
    // Fees 90 days, re-evaluation 60, approved-not-paid has no deadline.
    expect(w(US, "fee-dimensions", "2026-10-01")).toMatchObject({ deadline: "2026-12-30" });
    expect(w(US, "reimbursement-revaluation", "2026-10-01")).toMatchObject({ deadline: "2026-11-30" });
    expect(w(US, "approved-not-paid", "2026-10-01")).toMatchObject({ opensAt: "2026-10-08", deadline: null });
  });

  it("takes the EU windows from 2025-01-09, the UK's own removal window, and the default where a store has none", () => {
    const id = (marketplace: string, family: Parameters<typeof policyFor>[2], anchor: string) => policyFor(policies, marketplace, family, anchor)!.id;
    // Between the US cut and the EU cut an EU store keeps 18 months (its group has rows for the family).
    expect(id(DE, "fc-lost", "2024-12-01")).toBe("eu-fc-lost-legacy");
    expect(id(DE, "fc-lost", "2025-01-09")).toBe("eu-fc-lost-2025-01-09");
    expect(windowFor(policyFor(policies, DE, "customer-return", "2025-06-01")!, "2025-06-01")).toMatchObject({ opensAt: "2025-07-16", deadline: "2025-09-14" });
    // The UK's own row beats the EU group; an EU family the UK has no row for comes from the group.
    expect(id(UK, "removal-lost", "2025-06-01")).toBe("uk-removal-lost-2025-01-09");
    expect(id(UK, "fc-lost", "2025-06-01")).toBe("eu-fc-lost-2025-01-09");
    // AE before its 2024-09-05 cut, and a family its announcement did not cover (returns): the default.
    expect(id(AE, "fc-lost", "2024-09-04")).toBe("ae-fc-lost-legacy");
    expect(id(AE, "customer-return", "2025-06-01")).toBe("default-customer-return-2024-10-23");
    // A store with no rows of its own: the default.
    expect(id(JP, "fc-lost", "2025-06-01")).toBe("default-fc-lost-2024-10-23");
  });
});

describe("derived status and days", () => {
  const now = new Date("2026-11-05T23:30:00.000Z");
  it("is waiting before the window opens and expired after the deadline, for findings still open to filing", () => {
    expect(derivedStatus("pending", "2026-11-06", "2026-12-01", now)).toBe("waiting");
    expect(derivedStatus("pending", "2026-11-05", "2026-12-01", now)).toBe("pending");
    expect(derivedStatus("reviewed", "2026-10-01", "2026-11-05", now)).toBe("reviewed");
    expect(derivedStatus("reviewed", "2026-10-01", "2026-11-04", now)).toBe("expired");
    expect(derivedStatus("pending", "2026-10-01", null, now)).toBe("pending");
    for (const kept of ["filed", "disputed", "resolved", "dismissed"]) expect(derivedStatus(kept, "2026-10-01", "2026-10-02", now)).toBe(kept);
    expect(derivedStatus("pending", new Date("2026-11-06T00:00:00Z"), new Date("2026-12-01T00:00:00Z"), now)).toBe("waiting");
  });

  it("counts calendar days in UTC and sets the file-by day a week before the deadline", () => {
    expect(daysRemaining("2026-11-30", now)).toBe(25);
    expect(daysRemaining("2026-11-05", now)).toBe(0);
    expect(daysRemaining("2026-11-01", now)).toBe(-4);
    expect(daysRemaining(null, now)).toBeNull();
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(fileBy("2026-10-01", "2026-11-30")).toBe("2026-11-23");
    expect(fileBy("2026-11-27", "2026-11-30")).toBe("2026-11-30");
    expect(fileBy("2026-10-01", null)).toBeNull();
  });
});
