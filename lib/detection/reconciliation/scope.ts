// The reconciliation rule a route names (`/api/v1/reconciliation/rules/:id`), loaded scoped to the
// signed-in user before the handler runs: another user's rule is answered exactly like a missing one (404).
import { ApiError } from "../../api/errors";
import type { OwnedResource } from "../../api/route-wrappers";
import { db } from "../../db";

export interface OwnedReconciliationRule {
  id: string;
  sellerConnectionId: string;
  userId: string;
}

/** The user's reconciliation rule; another user's id is a 404, exactly like a missing one. */
export async function getReconciliationRuleOrThrow(userId: string, ruleId: string): Promise<OwnedReconciliationRule> {
  const row = await db.reconciliationRule.findFirst({
    where: { id: ruleId, sellerConnection: { userId } },
    select: { id: true, sellerConnectionId: true },
  });
  if (!row) throw new ApiError("not_found", "No such reconciliation rule.");
  return { id: row.id, sellerConnectionId: row.sellerConnectionId, userId };
}

/** A route parameter naming a reconciliation rule (`[id]`). */
export function reconciliationRuleResource(param = "id"): OwnedResource<OwnedReconciliationRule> {
  return { param, load: getReconciliationRuleOrThrow, logContext: (row) => ({ sellerConnectionId: row.sellerConnectionId }) };
}
