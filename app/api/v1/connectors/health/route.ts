// GET /api/v1/connectors/health (seed 003): the Amazon connector, each connection with its data-source cards.
import { otherMethods } from "@/lib/api/route-wrappers";
import { connectorsHealthHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = connectorsHealthHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
