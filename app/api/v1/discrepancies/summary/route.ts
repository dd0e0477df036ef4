// GET /api/v1/discrepancies/summary (seed 003): totals and the latest findings (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { discrepanciesSummaryHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = discrepanciesSummaryHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
