// The reconciliation-rule routes (seed 003's /api/v1/reconciliation/rules): the RuleItem shape on
// create, list, change and delete; one rule per ruleType per seller (409); the validation answers
// (422 naming the field: unknown rule ids, negative or over-precise thresholds, severities, unknown
// condition keys, a switched-off rule narrowed by conditions); tenancy (another user's rule and
// connection are 404s, their rules never listed); the audit trail.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { newSeller } from "../detection/ledger";
import { call, ownerOf } from "./support";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const rulesRoute = await import("@/app/api/v1/reconciliation/rules/route");
const ruleRoute = await import("@/app/api/v1/reconciliation/rules/[id]/route");

const PATH = "/api/v1/reconciliation/rules";

afterEach(() => {
  session.userId = null;
});

async function signedInSeller() {
  const seller = await newSeller();
  const userId = await ownerOf(seller);
  session.userId = userId;
  return { seller, userId };
}

const create = (body: unknown) => call(rulesRoute.POST, PATH, { method: "POST", body });
const patch = (id: string, body: unknown) => call(ruleRoute.PATCH, `${PATH}/${id}`, { method: "PATCH", body, params: { id } });
const remove = (id: string) => call(ruleRoute.DELETE, `${PATH}/${id}`, { method: "DELETE", params: { id } });

describe("reconciliation rules API", () => {
  it("creates, lists, changes and deletes a rule in the RuleItem shape, with an audit entry each", async () => {
    const { seller, userId } = await signedInSeller();
    const created = await create({ ruleType: "R03", threshold: 25, minUnits: 2, severity: "high", autoResolve: true, conditions: { skus: ["SKU-A"], minConfidence: 0.5 } });
    expect(created.status).toBe(201);
    const rule = created.body.rule;
    expect(rule).toEqual({
      id: expect.any(String),
      ruleType: "R03",
      threshold: 25,
      minUnits: 2,
      severity: "high",
      autoResolve: true,
      enabled: true,
      conditions: { skus: ["SKU-A"], minConfidence: 0.5 },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sellerConnectionId: seller,
    });
    // Stored exactly: 25.50 stays 25.50 (Decimal), never a float.
    const changed = await patch(rule.id, { threshold: "25.50", severity: null, enabled: true });
    expect(changed.status).toBe(200);
    expect(changed.body.rule).toMatchObject({ id: rule.id, threshold: 25.5, severity: null, minUnits: 2, autoResolve: true, conditions: { skus: ["SKU-A"], minConfidence: 0.5 } });
    expect((await db.reconciliationRule.findUniqueOrThrow({ where: { id: rule.id } })).threshold!.toFixed(2)).toBe("25.50");

    await create({ ruleType: "*", minUnits: 1 });
    const list = await call(rulesRoute.GET, PATH);
    expect(list.status).toBe(200);
    expect(list.body.rules.map((r: { ruleType: string }) => r.ruleType)).toEqual(["*", "R03"]);

    const deleted = await remove(rule.id);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect((await call(rulesRoute.GET, PATH)).body.rules.map((r: { ruleType: string }) => r.ruleType)).toEqual(["*"]);
    const audit = await db.auditLog.findMany({ where: { userId, action: { startsWith: "reconciliation." } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, (a.details as { ruleType: string }).ruleType])).toEqual([
      ["reconciliation.rule_created", "R03"],
      ["reconciliation.rule_updated", "R03"],
      ["reconciliation.rule_created", "*"],
      ["reconciliation.rule_deleted", "R03"],
    ]);
  });

  it("refuses a second rule for the same ruleType on one connection (409), also by renaming one", async () => {
    await signedInSeller();
    expect((await create({ ruleType: "R01", threshold: 5 })).status).toBe(201);
    const again = await create({ ruleType: "R01", threshold: 10 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict" });
    expect(again.body.error.message).toContain("R01");
    const other = await create({ ruleType: "R02" });
    const renamed = await patch(other.body.rule.id, { ruleType: "R01" });
    expect(renamed.status).toBe(409);
    expect((await call(rulesRoute.GET, PATH)).body.rules.map((r: { ruleType: string; threshold: number | null }) => [r.ruleType, r.threshold])).toEqual([
      ["R01", 5],
      ["R02", null],
    ]);
  });

  it.each([
    [{ ruleType: "R99" }, "ruleType"],
    [{ ruleType: "r03" }, "ruleType"],
    [{}, "ruleType"],
    [{ ruleType: "R03", threshold: -1 }, "threshold: must be 0 or more"],
    [{ ruleType: "R03", threshold: "12.345" }, "threshold: must be an amount with at most two decimals"],
    [{ ruleType: "R03", threshold: "1e3" }, "threshold"],
    [{ ruleType: "R03", threshold: true }, "threshold"],
    [{ ruleType: "R03", minUnits: -2 }, "minUnits"],
    [{ ruleType: "R03", minUnits: 1.5 }, "minUnits"],
    [{ ruleType: "R03", severity: "urgent" }, "severity"],
    [{ ruleType: "R03", autoResolve: "yes" }, "autoResolve"],
    [{ ruleType: "R03", conditions: { sku: ["A"] } }, "conditions"],
    [{ ruleType: "R03", conditions: { skus: [] } }, "conditions.skus"],
    [{ ruleType: "R03", conditions: { skus: ["A\u0000"] } }, "conditions.skus.0"],
    [{ ruleType: "R03", conditions: { marketplaceIds: ["us"] } }, "conditions.marketplaceIds.0"],
    [{ ruleType: "R03", conditions: { minConfidence: 1.5 } }, "conditions.minConfidence"],
    [{ ruleType: "R03", enabled: false, conditions: { skus: ["A"] } }, "enabled: a switched-off rule is off for every SKU"],
    [{ ruleType: "R03", extra: 1 }, "extra"],
  ])("answers %j with a 422 naming %s, and stores nothing", async (body, field) => {
    const { seller } = await signedInSeller();
    const answer = await create(body);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("unprocessable_entity");
    expect(answer.body.error.message).toContain(field);
    expect(await db.reconciliationRule.count({ where: { sellerConnectionId: seller } })).toBe(0);
  });

  it("validates a change against the stored rule: switching off a rule with SKU conditions is refused", async () => {
    await signedInSeller();
    const { body } = await create({ ruleType: "R04", conditions: { skus: ["SKU-1"] } });
    const off = await patch(body.rule.id, { enabled: false });
    expect(off.status).toBe(422);
    expect(off.body.error.message).toContain("enabled");
    expect((await patch(body.rule.id, {})).status).toBe(422);
    expect((await patch(body.rule.id, { threshold: -3 })).status).toBe(422);
    // Dropping the conditions in the same change is fine.
    const ok = await patch(body.rule.id, { enabled: false, conditions: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.rule).toMatchObject({ enabled: false, conditions: {} });
  });

  it("answers another user's rule and connection like missing ones, and never lists their rules", async () => {
    const mine = await signedInSeller();
    const { body } = await create({ ruleType: "R05", threshold: 3 });
    const theirs = await signedInSeller();
    expect((await call(rulesRoute.GET, PATH)).body.rules).toEqual([]);
    expect((await call(rulesRoute.GET, `${PATH}?sellerConnectionId=${mine.seller}`)).status).toBe(404);
    const foreignPatch = await patch(body.rule.id, { threshold: 0 });
    expect(foreignPatch.status).toBe(404);
    expect(foreignPatch.body.error.code).toBe("not_found");
    expect((await remove(body.rule.id)).status).toBe(404);
    expect((await call(rulesRoute.POST, PATH, { method: "POST", body: { ruleType: "R05", sellerConnectionId: mine.seller } })).status).toBe(404);
    expect((await patch("not a valid id", { threshold: 0 })).status).toBe(422);
    expect((await patch("cl0000000000000000000000", { threshold: 0 })).status).toBe(404);
    // The owner's rule is untouched.
    expect(await db.reconciliationRule.findUniqueOrThrow({ where: { id: body.rule.id } })).toMatchObject({ sellerConnectionId: mine.seller });
    expect(theirs.seller).not.toBe(mine.seller);
    session.userId = null;
    expect((await call(rulesRoute.GET, PATH)).status).toBe(401);
  });

  it("asks which connection when the user has several and none is named", async () => {
    const { userId } = await signedInSeller();
    const second = await db.sellerConnection.create({ data: { userId, sellingPartnerId: "ASECOND" + Date.now(), region: "EU", marketplaceIds: ["A1PA6795UKMFR9"] } });
    const unnamed = await create({ ruleType: "R01" });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.error.message).toContain("sellerConnectionId");
    const named = await create({ ruleType: "R01", sellerConnectionId: second.id });
    expect(named.status).toBe(201);
    expect(named.body.rule.sellerConnectionId).toBe(second.id);
    expect((await call(rulesRoute.PUT, PATH, { method: "PUT" })).status).toBe(405);
  });
});
