// GET /api/unit-costs (the seller's unit costs, paged) and PUT (set one SKU's cost).
import { otherMethods } from "@/lib/api/route-wrappers";
import { listUnitCostsHandler, putUnitCostHandler } from "@/lib/detection/unit-costs/handlers";

export const dynamic = "force-dynamic";

export const GET = listUnitCostsHandler;
export const PUT = putUnitCostHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PATCH, DELETE, OPTIONS } = otherMethods("GET", "PUT");
