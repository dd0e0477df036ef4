// GET /api/sse/status (seed 001): every event of the signed-in user's sellers as named events
// (sync_progress, sync_completed with claimsDetected, sync_error, notification for a cancelled sync),
// never another user's; a fresh stream starts with where each running sync stands; a reconnect replays
// from Last-Event-ID; the heartbeat on an injected period; sign-in; another user's connection a 404.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { statusHandler } from "@/lib/sse/handlers";
import { ProgressHub } from "@/lib/sse/hub";
import { createUser } from "../../support/factories";
import { advance, expectSseHeaders, open, runningSync, seller, SseReader } from "./support";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const route = await import("@/app/api/sse/status/route");

const hub = new ProgressHub({ pollMs: 30, probeTimeoutMs: 1000 });
const handler = statusHandler({ heartbeatMs: 60_000, hub: () => hub });

afterEach(() => {
  session.userId = null;
});
afterAll(() => hub.close());

describe("GET /api/sse/status", () => {
  it("streams the user's sellers' events as seed 001's named events, and nobody else's", async () => {
    const user = await createUser();
    const [a, b] = [await seller(user.id), await seller(user.id)];
    const aSync = await runningSync(a.id, "Starting your 18-month history sync");
    const otherUser = await createUser();
    const stranger = await seller(otherUser.id);
    const strangerSync = await runningSync(stranger.id);
    session.userId = user.id;

    const { response, controller } = await open(handler, "/api/sse/status");
    expectSseHeaders(response);
    const stream = new SseReader(response);
    try {
      // Where the running sync stands, at once.
      await stream.until((s) => s.events.length === 1, "the running sync's snapshot");
      expect(stream.events[0]).toMatchObject({
        event: "sync_progress",
        data: { type: "sync_progress", syncId: aSync, sellerConnectionId: a.id, progress: 0, status: "running", message: "Starting your 18-month history sync" },
      });

      await advance(strangerSync, { progress: 50, message: "Someone else's sync" });
      const progressed = await advance(aSync, { progress: 40, message: "Downloading orders" });
      const bSync = await runningSync(b.id);
      const completed = await advance(bSync, { status: "completed", progress: 100, claimsDetected: 2, message: "Sync completed successfully - 2 discrepancies detected" });
      const cSync = await runningSync(b.id);
      const cancelled = await advance(cSync, { status: "cancelled", message: "Sync cancelled" });
      const failed = await advance(aSync, { status: "failed", progress: 40, message: "Sync failed: nothing could be pulled from Amazon" });

      await stream.until((s) => s.events.some((e) => e.id === failed.toString()), "the failed sync");
      const events = stream.events.slice(1);
      expect(events.map((e) => e.event)).toEqual(["sync_progress", "sync_progress", "sync_completed", "sync_progress", "notification", "sync_error"]);
      expect(events.find((e) => e.id === progressed.toString())!.data).toMatchObject({ syncId: aSync, progress: 40, message: "Downloading orders" });
      expect(events.find((e) => e.id === completed.toString())!.data).toMatchObject({
        type: "sync_completed",
        syncId: bSync,
        sellerConnectionId: b.id,
        status: "completed",
        claimsDetected: 2,
      });
      expect(events.find((e) => e.id === cancelled.toString())!.data).toMatchObject({ type: "notification", kind: "sync_cancelled", syncId: cSync, message: "Sync cancelled" });
      expect(events.find((e) => e.id === failed.toString())!.data).toMatchObject({ type: "sync_error", syncId: aSync });
      // Ids only grow, and the stranger's sync never shows.
      const ids = stream.events.map((e) => BigInt(e.id));
      expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
      expect(JSON.stringify(stream.frames)).not.toContain(strangerSync);
      expect(stream.closed).toBe(false);
    } finally {
      controller.abort();
    }
  });

  it("replays what a reconnecting browser missed (Last-Event-ID), then goes on live", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    const syncId = await runningSync(conn.id);
    const seen = await advance(syncId, { progress: 10, message: "Downloading orders" });
    const missed1 = await advance(syncId, { progress: 20, message: "Downloading returns" });
    const missed2 = await advance(syncId, { progress: 30, message: "Downloading reimbursements" });
    session.userId = user.id;

    const { response, controller } = await open(handler, "/api/sse/status", {}, { "last-event-id": seen.toString() });
    const stream = new SseReader(response);
    try {
      await stream.until((s) => s.events.length === 2, "the two missed events");
      expect(stream.events.map((e) => e.id)).toEqual([missed1.toString(), missed2.toString()]);
      const live = await advance(syncId, { status: "completed", progress: 100, claimsDetected: 0, message: "Sync completed successfully" });
      await stream.until((s) => s.events.length === 3, "the live completion");
      expect(stream.events[2]).toMatchObject({ event: "sync_completed", id: live.toString() });
    } finally {
      controller.abort();
    }
  });

  it("sends a heartbeat comment on the injected period", async () => {
    const user = await createUser();
    session.userId = user.id;
    const { response, controller } = await open(statusHandler({ heartbeatMs: 40, hub: () => hub }), "/api/sse/status");
    const stream = new SseReader(response);
    try {
      await stream.until((s) => s.frames.filter((f) => f.comments.includes("heartbeat")).length >= 2, "two heartbeats", 3000);
      expect(stream.events).toEqual([]);
    } finally {
      controller.abort();
    }
  });

  it("needs sign-in; another user's connection is a 404; a bad Last-Event-ID a 422", async () => {
    const anonymous = await open(route.GET, "/api/sse/status");
    expect(anonymous.response.status).toBe(401);
    expect(await anonymous.response.json()).toMatchObject({ error: { code: "unauthorized" } });

    const other = await createUser();
    const theirs = await seller(other.id);
    const user = await createUser();
    session.userId = user.id;
    const foreign = await open(route.GET, `/api/sse/status?sellerConnectionId=${theirs.id}`);
    expect(foreign.response.status).toBe(404);
    expect(await foreign.response.json()).toMatchObject({ error: { code: "not_found" } });

    const bad = await open(route.GET, "/api/sse/status", {}, { "last-event-id": "1; drop" });
    expect(bad.response.status).toBe(422);
    expect(((await bad.response.json()) as { error: { message: string } }).error.message).toContain("Last-Event-ID");
  });
});
