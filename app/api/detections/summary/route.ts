// GET /api/detections/summary: counts and values of the user's findings (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { detectionSummaryHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = detectionSummaryHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
