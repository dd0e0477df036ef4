// POST /api/detections/run: queue a detection run for one of the user's sellers (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { runDetectionHandler } from "@/app/api/detections/_write/handlers";

export const dynamic = "force-dynamic";

export const POST = runDetectionHandler;

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
