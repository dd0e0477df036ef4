// PATCH /api/v1/reconciliation/rules/:id (change a reconciliation rule) and DELETE (remove it; 204).
import { otherMethods } from "@/lib/api/route-wrappers";
import { deleteRuleHandler, patchRuleHandler } from "@/lib/detection/reconciliation/handlers";

export const dynamic = "force-dynamic";

export const PATCH = patchRuleHandler;
export const DELETE = deleteRuleHandler;

// Every other method: 405 in the JSON error shape.
export const { GET, POST, PUT, OPTIONS } = otherMethods("PATCH", "DELETE");
