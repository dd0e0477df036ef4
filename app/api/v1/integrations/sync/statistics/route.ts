// GET /api/v1/integrations/sync/statistics: the seller's syncs counted by status, orders and claims summed.
import { otherMethods } from "@/lib/api/route-wrappers";
import { syncStatisticsHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = syncStatisticsHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
