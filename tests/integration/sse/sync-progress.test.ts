// GET /api/sse/sync-progress/:syncId (seed 004): unnamed events with seed 004's JSON, an id on each,
// replay from Last-Event-ID (header or ?lastEventId=), the heartbeat (an injected 40 ms period
// instead of 15 s), the close after the final event (complete, error, cancelled), a finished sync
// replayed and closed at once, sign-in, another user's sync as a 404, bad input as a 422, and nothing
// left subscribed after the browser leaves. Rows are written as the sync writes them (run-store).
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { syncProgressHandler } from "@/lib/sse/handlers";
import { ProgressHub } from "@/lib/sse/hub";
import { cancelRunningSyncs } from "@/lib/sync/run-store";
import { createUser } from "../../support/factories";
import { advance, eventIds, expectSseHeaders, open, runningSync, seller, SseReader } from "./support";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const route = await import("@/app/api/sse/sync-progress/[syncId]/route");

// A hub of the test's own (its subscribers can be counted), polling fast on the embedded database.
const hub = new ProgressHub({ pollMs: 30, probeTimeoutMs: 1000, idleCloseMs: 60_000 });
const handler = syncProgressHandler({ heartbeatMs: 40, hub: () => hub });
const quietHandler = syncProgressHandler({ heartbeatMs: 60_000, hub: () => hub });

afterEach(() => {
  session.userId = null;
});
afterAll(() => hub.close());

async function signedInSync() {
  const user = await createUser();
  const conn = await seller(user.id);
  session.userId = user.id;
  return { user, conn, syncId: await runningSync(conn.id) };
}

const path = (syncId: string, query = "") => `/api/sse/sync-progress/${syncId}${query}`;

describe("GET /api/sse/sync-progress/:syncId", () => {
  it("sends seed 004's unnamed events live, with ids, and closes after sync_complete", async () => {
    const { syncId } = await signedInSync();
    const { response, controller } = await open(quietHandler, path(syncId), { syncId });
    expectSseHeaders(response);
    const stream = new SseReader(response);
    try {
      await stream.until((s) => s.events.length === 1, "the replayed start event");
      expect(stream.frames[0]!.retry).toBe("3000");
      const [first] = await eventIds(syncId);
      expect(stream.events[0]).toEqual({
        event: undefined,
        id: first,
        data: { type: "sync_progress", syncId, progress: 0, status: "running", message: "Starting sync" },
      });

      const progressId = await advance(syncId, { progress: 45, message: "Downloading inventory ledger, Jan-Jun 2025" });
      await stream.until((s) => s.events.length === 2, "the live progress event");
      expect(stream.events[1]).toEqual({
        event: undefined,
        id: progressId.toString(),
        data: { type: "sync_progress", syncId, progress: 45, status: "running", message: "Downloading inventory ledger, Jan-Jun 2025" },
      });
      expect(stream.closed).toBe(false);

      const doneId = await advance(syncId, { status: "completed", progress: 100, claimsDetected: 3, message: "Sync completed successfully - 3 discrepancies detected" });
      await stream.untilClosed();
      expect(stream.events.map((e) => e.id)).toEqual([first, progressId.toString(), doneId.toString()]);
      expect(stream.events[2]!.data).toEqual({
        type: "sync_complete",
        syncId,
        progress: 100,
        status: "completed",
        message: "Sync completed successfully - 3 discrepancies detected",
        claimsDetected: 3,
      });
    } finally {
      controller.abort();
    }
  });

  it("replays from Last-Event-ID (header or ?lastEventId=) and then goes on live", async () => {
    const { syncId } = await signedInSync();
    const second = await advance(syncId, { progress: 10, message: "Downloading orders" });
    const third = await advance(syncId, { progress: 20, message: "Downloading returns" });
    const [first] = await eventIds(syncId);

    for (const [query, headers] of [
      ["", { "last-event-id": first! }],
      [`?lastEventId=${first}`, {}],
    ] as const) {
      const { response, controller } = await open(quietHandler, path(syncId, query), { syncId }, headers);
      const stream = new SseReader(response);
      try {
        await stream.until((s) => s.events.length === 2, "the two missed events");
        expect(stream.events.map((e) => [e.id, e.data.message])).toEqual([
          [second.toString(), "Downloading orders"],
          [third.toString(), "Downloading returns"],
        ]);
      } finally {
        controller.abort();
      }
    }

    // Resumed at the newest id: nothing replayed, the next event arrives live.
    const { response, controller } = await open(quietHandler, path(syncId), { syncId }, { "last-event-id": third.toString() });
    const stream = new SseReader(response);
    try {
      const fourth = await advance(syncId, { progress: 30, message: "Downloading reimbursements" });
      await stream.until((s) => s.events.length === 1, "the live event");
      expect(stream.events[0]!.id).toBe(fourth.toString());
    } finally {
      controller.abort();
    }
  });

  it("a finished sync replays its history and closes at once; resumed after its last event it closes empty", async () => {
    const { syncId } = await signedInSync();
    await advance(syncId, { progress: 90, message: "Waiting for discrepancy detection..." });
    const last = await advance(syncId, { status: "failed", progress: 100, message: "Sync failed: nothing could be pulled from Amazon" });

    const { response } = await open(quietHandler, path(syncId), { syncId });
    const stream = new SseReader(response);
    await stream.untilClosed(2000);
    expect(stream.events.map((e) => e.data.type)).toEqual(["sync_progress", "sync_progress", "sync_error"]);
    expect(stream.events[2]).toMatchObject({ id: last.toString(), data: { status: "failed", message: "Sync failed: nothing could be pulled from Amazon" } });
    expect(stream.events[2]!.data).not.toHaveProperty("claimsDetected");

    const again = await open(quietHandler, path(syncId), { syncId }, { "last-event-id": last.toString() });
    const empty = new SseReader(again.response);
    await empty.untilClosed(2000);
    expect(empty.events).toEqual([]);
    expect(hub.subscriberCount).toBe(0);
  });

  it("closes after sync_cancelled when the sync is cancelled (run-store's cancel)", async () => {
    const { conn, syncId } = await signedInSync();
    const { response, controller } = await open(quietHandler, path(syncId), { syncId });
    const stream = new SseReader(response);
    try {
      await stream.until((s) => s.events.length === 1, "the start event");
      await cancelRunningSyncs(conn.id, "user:test", "Sync cancelled");
      await stream.untilClosed();
      expect(stream.events.at(-1)!.data).toEqual({ type: "sync_cancelled", syncId, progress: 0, status: "cancelled", message: "Sync cancelled" });
    } finally {
      controller.abort();
    }
  });

  it("sends a heartbeat comment on the injected period while nothing happens", async () => {
    const { syncId } = await signedInSync();
    const { response, controller } = await open(handler, path(syncId), { syncId });
    const stream = new SseReader(response);
    try {
      await stream.until((s) => s.frames.filter((f) => f.comments.includes("heartbeat")).length >= 2, "two heartbeats", 3000);
      expect(stream.events).toHaveLength(1);
    } finally {
      controller.abort();
    }
    // The quiet handler's 60 s period sends none within the same time.
    const quiet = await open(quietHandler, path(syncId), { syncId });
    const calm = new SseReader(quiet.response);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calm.frames.some((f) => f.comments.includes("heartbeat"))).toBe(false);
    } finally {
      quiet.controller.abort();
    }
  });

  it("unsubscribes when the browser leaves", async () => {
    const { syncId } = await signedInSync();
    const before = hub.subscriberCount;
    const { response, controller } = await open(quietHandler, path(syncId), { syncId });
    const stream = new SseReader(response);
    await stream.until((s) => s.events.length === 1, "the start event");
    expect(hub.subscriberCount).toBe(before + 1);
    controller.abort();
    await stream.untilClosed();
    expect(hub.subscriberCount).toBe(before);
  });

  it("needs sign-in, answers another user's sync like a missing one, and refuses a bad id or Last-Event-ID", async () => {
    const { syncId } = await signedInSync();
    session.userId = null;
    const anonymous = await open(route.GET, path(syncId), { syncId });
    expect(anonymous.response.status).toBe(401);
    expect(await anonymous.response.json()).toMatchObject({ error: { code: "unauthorized" } });

    const other = await createUser();
    session.userId = other.id;
    const foreign = await open(route.GET, path(syncId), { syncId });
    expect(foreign.response.status).toBe(404);
    expect(await foreign.response.json()).toEqual({ error: { code: "not_found", message: "No such sync." } });
    const missing = await open(route.GET, path("sync_doesnotexist"), { syncId: "sync_doesnotexist" });
    expect(missing.response.status).toBe(404);

    const bad = await open(route.GET, path("bad%20id"), { syncId: "bad id" });
    expect(bad.response.status).toBe(422);
    expect(((await bad.response.json()) as { error: { message: string } }).error.message).toContain("syncId");

    const owner = await createUser();
    const conn = await seller(owner.id);
    const own = await runningSync(conn.id);
    session.userId = owner.id;
    const badHeader = await open(route.GET, path(own), { syncId: own }, { "last-event-id": "abc" });
    expect(badHeader.response.status).toBe(422);
    expect(((await badHeader.response.json()) as { error: { message: string } }).error.message).toContain("Last-Event-ID");
    const badQuery = await open(route.GET, path(own, "?lastEventId=-1"), { syncId: own });
    expect(badQuery.response.status).toBe(422);
    expect(((await badQuery.response.json()) as { error: { message: string } }).error.message).toContain("lastEventId");
  });

  it("answers other methods with a JSON 405", async () => {
    const response = await route.POST(new Request("http://app/api/sse/sync-progress/x", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
