// GET /api/sse/status (seed 001): every progress event of the signed-in user's sellers as named
// Server-Sent Events (sync_progress, sync_completed, sync_error, notification), open while the page
// is. The wire format is in docs/sse.md.
import { otherMethods } from "@/lib/api/route-wrappers";
import { statusHandler } from "@/lib/sse/handlers";

export const dynamic = "force-dynamic";

export const GET = statusHandler();

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
