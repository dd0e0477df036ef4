// GET /api/sync/data-sources/health: the seven data-source cards (freshness rule in lib/sync/api/views.ts buildCards).
import { otherMethods } from "@/lib/api/route-wrappers";
import { dataSourcesHealthHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = dataSourcesHealthHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
