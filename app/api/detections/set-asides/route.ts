// GET /api/detections/set-asides?sku= (or &ruleId=): what the rules set aside, and why (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { setAsidesHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = setAsidesHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
