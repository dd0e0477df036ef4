// GET /api/v1/metrics (seed 003): the seller's sync metrics.
import { otherMethods } from "@/lib/api/route-wrappers";
import { metricsHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = metricsHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
