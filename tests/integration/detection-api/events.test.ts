// The routes that send Inngest events, seen at the edge: the app's Inngest client points (INNGEST_DEV)
// at a small HTTP server standing in for the engine's event endpoint (POST /e/<key>), which records
// every event it is sent. POST /api/detections/run and its aliases send `detection/requested` with an
// id derived from the seller, mode and minute (or the caller's idempotency key); GET /api/recoveries
// asks for the first sync when none ever ran (the fallback trigger), once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

interface SentEvent {
  name: string;
  id?: string;
  data: Record<string, unknown>;
}

const sent: SentEvent[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method === "POST" && req.url?.startsWith("/e/")) {
        const parsed = JSON.parse(text) as SentEvent | SentEvent[];
        const events = Array.isArray(parsed) ? parsed : [parsed];
        sent.push(...events);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ids: events.map((_, i) => `01TESTEVENT${i}`), status: 200 }));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.INNGEST_DEV = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

// Loaded after INNGEST_DEV is set: the app's Inngest client reads it.
const load = async () => ({
  db: (await import("@/lib/db")).db,
  fixtures: await import("./fixtures"),
  runRoute: (await import("@/app/api/detections/run/route")).POST,
  detectRoute: (await import("@/app/api/v1/claims/detect/route")).POST,
  jobsRoute: (await import("@/app/api/v1/jobs/discrepancies/route")).POST,
  recoveriesRoute: (await import("@/app/api/recoveries/route")).GET,
  runStore: await import("@/lib/sync/run-store"),
});
let m: Awaited<ReturnType<typeof load>>;

beforeAll(async () => {
  m = await load();
});

const NOW = new Date("2026-06-15T12:00:20.000Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  sent.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  session.userId = null;
});

async function signedIn(options: { connectedAt?: Date; status?: string } = {}) {
  const user = await m.fixtures.newUser();
  const seller = await m.fixtures.sellerOf(user.id, options);
  session.userId = user.id;
  return { user, seller };
}

const run = (options: Parameters<typeof m.fixtures.call>[2] = {}, handler: unknown = m.runRoute) => m.fixtures.call(handler, "/api/detections/run", { method: "POST", ...options });

describe("POST /api/detections/run", () => {
  it("answers 202 queued and sends detection/requested with the id of the seller, mode and minute", async () => {
    const { seller } = await signedIn();
    const answer = await run();
    const eventId = `detection-requested:${seller.id}:full:2026-06-15T12:00`;
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: "queued", mode: "full", eventId, sellerConnectionId: seller.id });
    expect(answer.body.message).toContain("Detection queued");
    expect(sent).toEqual([expect.objectContaining({ name: "detection/requested", id: eventId, data: { sellerConnectionId: seller.id, mode: "full" } })]);
  });

  it("gives a repeat within the minute the same id (one run), the next minute and the other mode new ones", async () => {
    const { seller } = await signedIn();
    await run({ body: {} });
    vi.setSystemTime(new Date("2026-06-15T12:00:59.000Z"));
    await run({ body: { sellerConnectionId: seller.id } });
    vi.setSystemTime(new Date("2026-06-15T12:01:00.000Z"));
    await run();
    await run({ body: { mode: "incremental" } });
    expect(sent.map((e) => [e.id, e.data.mode])).toEqual([
      [`detection-requested:${seller.id}:full:2026-06-15T12:00`, "full"],
      [`detection-requested:${seller.id}:full:2026-06-15T12:00`, "full"],
      [`detection-requested:${seller.id}:full:2026-06-15T12:01`, "full"],
      [`detection-requested:${seller.id}:incremental:2026-06-15T12:01`, "incremental"],
    ]);
  });

  it("takes the caller's idempotency key (header or body) for the id", async () => {
    const { seller } = await signedIn();
    const byHeader = await run({ headers: { "idempotency-key": "click-42" } });
    const byBody = await run({ body: { idempotencyKey: "click-43", mode: "incremental" } });
    expect([byHeader.body.eventId, byBody.body.eventId]).toEqual([`detection-requested:${seller.id}:key:click-42`, `detection-requested:${seller.id}:key:click-43`]);
    expect(sent.map((e) => e.id)).toEqual([byHeader.body.eventId, byBody.body.eventId]);
  });

  it("is the same handler at /api/v1/claims/detect and /api/v1/jobs/discrepancies", async () => {
    expect(m.detectRoute).toBe(m.runRoute);
    expect(m.jobsRoute).toBe(m.runRoute);
    const { seller } = await signedIn();
    const answer = await run({ body: { sellerConnectionId: seller.id } }, m.jobsRoute);
    expect(answer.status).toBe(202);
    expect(sent.map((e) => e.name)).toEqual(["detection/requested"]);
  });

  it.each([
    [{ body: { mode: "fast" } }, 422, "mode"],
    [{ body: { sellerConnectionId: "a/b" } }, 422, "sellerConnectionId"],
    [{ body: { extra: true } }, 422, "extra"],
    [{ body: { idempotencyKey: "has space" } }, 422, "idempotencyKey"],
    [{ headers: { "idempotency-key": "bad key!" } }, 422, "Idempotency-Key"],
    [{ raw: "{oops" }, 400, "JSON"],
  ])("refuses %j (%i, naming %s) and sends nothing", async (options, status, field) => {
    await signedIn();
    const answer = await run(options as Parameters<typeof run>[0]);
    expect(answer.status).toBe(status);
    expect(answer.body.error.message).toContain(field);
    expect(sent).toEqual([]);
  });

  it("answers another user's connection and user id with 404, several connections unnamed with 422, a disconnected one with 409; nothing sent", async () => {
    const other = await m.fixtures.newUser();
    const theirs = await m.fixtures.sellerOf(other.id);
    const { user } = await signedIn();
    expect((await run({ body: { sellerConnectionId: theirs.id } })).status).toBe(404);
    expect((await run({ body: { userId: other.id } })).status).toBe(404);
    await m.fixtures.sellerOf(user.id);
    const unnamed = await run();
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.error.message).toContain("sellerConnectionId");
    const gone = await m.fixtures.sellerOf(user.id, { status: "disconnected" });
    expect((await run({ body: { sellerConnectionId: gone.id } })).status).toBe(409);
    session.userId = null;
    expect((await run()).status).toBe(401);
    expect(sent).toEqual([]);
  });
});

describe("GET /api/recoveries: the first-sync fallback", () => {
  it("starts the first sync of a seller that never synced, answers zeros and the sync at once, and only once", async () => {
    const { seller } = await signedIn({ connectedAt: new Date("2026-06-15T11:00:00.000Z") });
    const first = await m.fixtures.ok(m.recoveriesRoute, "/api/recoveries");
    const syncRunId = m.runStore.syncRunIdFor(`sync-requested:fallback:${seller.id}`);
    expect(first).toMatchObject({ totalPotentialRecovery: 0, readyToFileValue: 0, recoveredValue: 0, expiredValue: 0, openClaims: 0, currency: "USD", lastSyncAt: null, syncing: true, syncId: syncRunId });
    expect(sent).toEqual([
      expect.objectContaining({
        name: "sync/requested",
        id: `sync-requested:fallback:${seller.id}`,
        data: { sellerConnectionId: seller.id, kind: "historical", syncRunId, trigger: "fallback" },
      }),
    ]);
    const runs = await m.db.syncRun.findMany({ where: { sellerConnectionId: seller.id } });
    expect(runs.map((r) => [r.id, r.trigger, r.status])).toEqual([[syncRunId, "fallback", "running"]]);

    const again = await m.fixtures.ok(m.recoveriesRoute, "/api/recoveries");
    expect({ syncing: again.syncing, syncId: again.syncId }).toEqual({ syncing: true, syncId: syncRunId });
    expect(sent).toHaveLength(1);
  });

  it("leaves a seller connected under two minutes ago to its connect's own sync", async () => {
    await signedIn({ connectedAt: new Date("2026-06-15T11:59:00.000Z") });
    const body = await m.fixtures.ok(m.recoveriesRoute, "/api/recoveries");
    expect({ syncing: body.syncing, syncId: body.syncId }).toEqual({ syncing: false, syncId: null });
    expect(sent).toEqual([]);
  });

  it("sends nothing for a seller that has synced before", async () => {
    const { seller } = await signedIn();
    await m.db.syncRun.create({ data: { sellerConnectionId: seller.id, kind: "historical", trigger: "connect", status: "completed", completedAt: new Date("2026-06-01T00:00:00Z") } });
    const body = await m.fixtures.ok(m.recoveriesRoute, "/api/recoveries");
    expect(body).toMatchObject({ syncing: false, lastSyncAt: "2026-06-01T00:00:00.000Z" });
    expect(sent).toEqual([]);
  });
});
