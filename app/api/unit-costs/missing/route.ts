// GET /api/unit-costs/missing: SKUs whose open findings are valued at a fallback a unit cost would replace.
import { otherMethods } from "@/lib/api/route-wrappers";
import { missingUnitCostsHandler } from "@/lib/detection/unit-costs/handlers";

export const dynamic = "force-dynamic";

export const GET = missingUnitCostsHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
