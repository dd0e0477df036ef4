// The two SSE routes (docs/sse.md):
// - GET /api/sse/sync-progress/:syncId (seed 004): one sync's events, unnamed, replayed from
//   Last-Event-ID, ending after the sync's last event; a finished sync replays and ends at once.
// - GET /api/sse/status (seed 001): every event of the user's sellers as named events; open until the
//   browser leaves.
// Both sign in through the route wrappers (another user's sync is a 404 like a missing one), read
// the ProgressEvent rows (any app instance serves any sync) and go live through the process's hub.
// The heartbeat period and the hub are injectable for the tests.
import { z } from "zod";
import { ApiError, parseSearchParams } from "../api/errors";
import { withOwned, withUser } from "../api/route-wrappers";
import { sellerScope, sellerScopeSchema, syncRunResource } from "../sync/api/scope";
import { frameBytes, isFinal, statusFrame, syncProgressFrame, type ProgressRow } from "./format";
import { progressHub, type ProgressHub } from "./hub";
import { latestEventId, progressRowsAfter, runRowsAfter, runningSnapshot } from "./rows";
import { HEARTBEAT_MS, sseResponse } from "./stream";

export interface SseHandlerOptions {
  heartbeatMs?: number;
  hub?: () => ProgressHub;
}

/** An event id as the streams send it: a decimal integer (ProgressEvent.id). */
const eventIdSchema = z.string().regex(/^\d{1,18}$/, "must be the id of an event this stream sent");

/**
 * Where the browser's stream stands: the Last-Event-ID header an EventSource sends when it reconnects,
 * or `?lastEventId=` (a new EventSource cannot set headers). Undefined when neither is given.
 */
function lastEventIdOf(request: Request, query: { lastEventId?: string }): bigint | undefined {
  const header = request.headers.get("last-event-id");
  if (header !== null && header !== "") {
    const parsed = eventIdSchema.safeParse(header.trim());
    if (!parsed.success) throw new ApiError("unprocessable_entity", "Last-Event-ID: must be the id of an event this stream sent.");
    return BigInt(parsed.data);
  }
  return query.lastEventId === undefined ? undefined : BigInt(query.lastEventId);
}

const progressQuery = z.object({ lastEventId: eventIdSchema.optional() });

export function syncProgressHandler(options: SseHandlerOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const hub = options.hub ?? progressHub;
  return withOwned(syncRunResource("syncId"), async (request, { resource }) => {
    const query = parseSearchParams(request, progressQuery);
    const after = lastEventIdOf(request, query) ?? 0n;
    const replay = await runRowsAfter(resource.id, after);
    const finalAt = replay.findIndex(isFinal);
    const sent = finalAt >= 0 ? replay.slice(0, finalAt + 1) : replay;
    // Ended before (its last event replayed now, or the browser had it already): nothing more will come.
    const finished = finalAt >= 0 || resource.status !== "running";
    const cursor = sent.length > 0 ? sent[sent.length - 1]!.id : after;
    return sseResponse({
      signal: request.signal,
      heartbeatMs,
      replay: sent.map(syncProgressFrame),
      closeAfterReplay: finished,
      live: (stream) =>
        hub().subscribe({ kind: "run", id: resource.id }, cursor, (rows) => {
          for (const row of rows) {
            stream.send(frameBytes(row, "progress"));
            if (isFinal(row)) return stream.close();
          }
        }),
    });
  });
}

const statusQuery = sellerScopeSchema.extend({ lastEventId: eventIdSchema.optional() });

export function statusHandler(options: SseHandlerOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const hub = options.hub ?? progressHub;
  return withUser(async (request, { user }) => {
    const query = parseSearchParams(request, statusQuery);
    const sellers = await sellerScope(user.id, query.sellerConnectionId);
    const after = lastEventIdOf(request, query);
    let replay: ProgressRow[];
    let start: bigint;
    if (after !== undefined) {
      // A reconnect: what happened meanwhile on any of the sellers.
      replay = await progressRowsAfter({ sellers: sellers.map((key) => ({ key, after })) });
      start = after;
    } else {
      // A fresh dashboard: where each running sync stands now, then everything new.
      start = await latestEventId();
      replay = await runningSnapshot(sellers);
    }
    const cursorOf = (seller: string) => replay.reduce((max, row) => (row.sellerConnectionId === seller && row.id > max ? row.id : max), start);
    return sseResponse({
      signal: request.signal,
      heartbeatMs,
      replay: replay.map(statusFrame),
      live: (stream) => {
        const stops = sellers.map((seller) =>
          hub().subscribe({ kind: "seller", id: seller }, cursorOf(seller), (rows) => {
            for (const row of rows) stream.send(frameBytes(row, "status"));
          }),
        );
        return () => stops.forEach((stop) => stop());
      },
    });
  });
}
