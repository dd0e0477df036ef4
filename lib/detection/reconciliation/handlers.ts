// The reconciliation-rule routes (seed 003's /api/v1/reconciliation/rules): list, create (one row per
// detection rule, or "*", per seller: a second is a 409), change and delete. Every route loads what it
// touches scoped to the signed-in user; each change is written with its audit entry in one transaction.
// The next detection run applies them (lib/detection/reconciliation/settings.ts; docs/reconciliation-and-costs.md).
import { NextResponse } from "next/server";
import { ApiError, parseJsonBody, parseSearchParams } from "../../api/errors";
import { withOwned, withUser } from "../../api/route-wrappers";
import { db } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import { sellerScope, sellerScopeSchema } from "../../sync/api/scope";
import { createRuleSchema, patchRuleSchema, refuseNarrowedSwitchOff, ruleItem, conditionsSchema } from "./schema";
import { reconciliationRuleResource } from "./scope";

const listQuery = sellerScopeSchema.strict();

function refused(error: unknown, ruleType: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new ApiError("conflict", `ruleType: there is already a reconciliation rule for ${ruleType} on this Amazon connection; change that one instead.`);
  }
  // Deleted by another request in the meantime.
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") throw new ApiError("not_found", "No such reconciliation rule.");
  throw error;
}

/** What an audit entry keeps of a rule: its settings, never free text beyond the SKUs the seller typed. */
const auditDetails = (row: { id: string; ruleType: string }, changed?: string[]) => ({ ruleId: row.id, ruleType: row.ruleType, ...(changed ? { changed } : {}) });

/** GET /api/v1/reconciliation/rules?sellerConnectionId= → { rules: RuleItem[] }. */
export const listRulesHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, listQuery);
  const sellerConnectionIds = await sellerScope(user.id, query.sellerConnectionId);
  const rows = await db.reconciliationRule.findMany({
    where: { sellerConnectionId: { in: sellerConnectionIds } },
    orderBy: [{ sellerConnectionId: "asc" }, { ruleType: "asc" }],
  });
  return NextResponse.json({ rules: rows.map(ruleItem) });
});

/** POST /api/v1/reconciliation/rules → 201 { rule }. */
export const createRuleHandler = withUser(async (request, { user }) => {
  const body = await parseJsonBody(request, createRuleSchema);
  const [sellerConnectionId] = await sellerScope(user.id, body.sellerConnectionId, { single: true });
  const conditions = body.conditions ?? {};
  const enabled = body.enabled ?? true;
  refuseNarrowedSwitchOff({ enabled, conditions });
  const row = await db
    .$transaction(async (tx) => {
      const created = await tx.reconciliationRule.create({
        data: {
          sellerConnectionId: sellerConnectionId!,
          ruleType: body.ruleType,
          threshold: body.threshold ?? null,
          minUnits: body.minUnits ?? null,
          severity: body.severity ?? null,
          autoResolve: body.autoResolve ?? false,
          enabled,
          conditions,
        },
      });
      await tx.auditLog.create({
        data: { actor: `user:${user.id}`, action: "reconciliation.rule_created", userId: user.id, sellerConnectionId: created.sellerConnectionId, details: auditDetails(created) },
      });
      return created;
    })
    .catch((error: unknown) => refused(error, body.ruleType));
  return NextResponse.json({ rule: ruleItem(row) }, { status: 201 });
});

/** PATCH /api/v1/reconciliation/rules/:id → { rule }. Fields left out stay as they are; null clears one. */
export const patchRuleHandler = withOwned(reconciliationRuleResource(), async (request, { user, resource }) => {
  const body = await parseJsonBody(request, patchRuleSchema);
  const row = await db
    .$transaction(async (tx) => {
      const current = await tx.reconciliationRule.findUniqueOrThrow({ where: { id: resource.id } });
      const parsed = conditionsSchema.safeParse(current.conditions);
      refuseNarrowedSwitchOff({ enabled: body.enabled ?? current.enabled, conditions: body.conditions ?? (parsed.success ? parsed.data : {}) });
      const data: Prisma.ReconciliationRuleUpdateInput = {};
      if (body.ruleType !== undefined) data.ruleType = body.ruleType;
      if (body.threshold !== undefined) data.threshold = body.threshold;
      if (body.minUnits !== undefined) data.minUnits = body.minUnits;
      if (body.severity !== undefined) data.severity = body.severity;
      if (body.autoResolve !== undefined) data.autoResolve = body.autoResolve;
      if (body.enabled !== undefined) data.enabled = body.enabled;
      if (body.conditions !== undefined) data.conditions = body.conditions;
      const updated = await tx.reconciliationRule.update({ where: { id: resource.id }, data });
      await tx.auditLog.create({
        data: { actor: `user:${user.id}`, action: "reconciliation.rule_updated", userId: user.id, sellerConnectionId: updated.sellerConnectionId, details: auditDetails(updated, Object.keys(data)) },
      });
      return updated;
    })
    .catch((error: unknown) => refused(error, body.ruleType ?? "this detection rule"));
  return NextResponse.json({ rule: ruleItem(row) });
});

/** DELETE /api/v1/reconciliation/rules/:id → 204. The next run offers what the rule held back again. */
export const deleteRuleHandler = withOwned(reconciliationRuleResource(), async (_request, { user, resource }) => {
  await db
    .$transaction(async (tx) => {
      const deleted = await tx.reconciliationRule.delete({ where: { id: resource.id } });
      await tx.auditLog.create({
        data: { actor: `user:${user.id}`, action: "reconciliation.rule_deleted", userId: user.id, sellerConnectionId: deleted.sellerConnectionId, details: auditDetails(deleted) },
      });
    })
    .catch((error: unknown) => refused(error, ""));
  return new Response(null, { status: 204 });
});
