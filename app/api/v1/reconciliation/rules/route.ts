// GET /api/v1/reconciliation/rules (the seller's reconciliation rules) and POST (create one; seed 003).
import { otherMethods } from "@/lib/api/route-wrappers";
import { createRuleHandler, listRulesHandler } from "@/lib/detection/reconciliation/handlers";

export const dynamic = "force-dynamic";

export const GET = listRulesHandler;
export const POST = createRuleHandler;

// Every other method: 405 in the JSON error shape.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
