// GET /api/v1/integrations/amazon/recoveries (seed 001): the same handler as GET /api/recoveries.
import { otherMethods } from "@/lib/api/route-wrappers";
import { recoveriesHandler } from "@/app/api/detections/_write/handlers";

export const dynamic = "force-dynamic";

export const GET = recoveriesHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
