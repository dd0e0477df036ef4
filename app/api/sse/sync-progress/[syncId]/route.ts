// GET /api/sse/sync-progress/:syncId (seed 004): one sync's progress as Server-Sent Events, unnamed
// (`eventSource.onmessage`), replayed from Last-Event-ID, closed after the sync's last event.
// The wire format is in docs/sse.md.
import { otherMethods } from "@/lib/api/route-wrappers";
import { syncProgressHandler } from "@/lib/sse/handlers";

export const dynamic = "force-dynamic";

export const GET = syncProgressHandler();

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
