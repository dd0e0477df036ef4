// GET /api/detections/results: the user's findings, filtered, sorted and paged (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { detectionResultsHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = detectionResultsHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
