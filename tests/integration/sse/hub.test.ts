// The progress hub on the database the suite runs on (twice in CI: the embedded PGlite, then a real
// PostgreSQL server). What each delivers was checked, not assumed: the embedded front serves one
// session, so a NOTIFY goes back to the connection that sent it and the hub must poll; a real server
// hands it to the listener, so one LISTEN connection per process wakes every stream at once, with no
// poll needed. Both: many subscribers share one read, each gets every event once, in id order.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ProgressHub } from "@/lib/sse/hub";
import type { ProgressRow } from "@/lib/sse/format";
import { createUser } from "../../support/factories";
import { advance, runningSync, seller } from "./support";

const onServer = process.env.TEST_DATABASE_KIND === "postgresql";
const hubs: ProgressHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

function newHub(options: ConstructorParameters<typeof ProgressHub>[0]) {
  const hub = new ProgressHub({ applicationName: APPLICATION, ...options });
  hubs.push(hub);
  return hub;
}

async function settled(hub: ProgressHub): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (hub.mode === "probing" || hub.mode === "idle") {
    if (Date.now() > deadline) throw new Error("the hub never settled");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return hub.mode;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// This file's hubs only (the other SSE test files run beside it on the same database).
const APPLICATION = `progress-hub-test-${process.pid}`;

async function listenerSessions(): Promise<number> {
  const rows = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity WHERE "datname" = current_database() AND "application_name" = ${APPLICATION}`;
  return Number(rows[0]!.n);
}

describe.runIf(onServer)("on a PostgreSQL server", () => {
  it("settles on NOTIFY with one listener connection for all subscribers, and a notification wakes delivery with no poll", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    const syncId = await runningSync(conn.id);
    // Polls so slow that only a notification can deliver within the test.
    const hub = newHub({ pollMs: 120_000, safetyPollMs: 120_000, probeTimeoutMs: 3000 });
    const got: ProgressRow[][] = Array.from({ length: 25 }, () => []);
    const stops = got.map((rows) => hub.subscribe({ kind: "run", id: syncId }, 0n, (batch) => rows.push(...batch)));
    expect(await settled(hub)).toBe("notify");
    expect(await listenerSessions()).toBe(1);
    await waitFor(() => got.every((rows) => rows.length === 1), "the replayed start event");

    const readsBefore = hub.reads;
    const id = await advance(syncId, { progress: 50, message: "Downloading orders" });
    await waitFor(() => got.every((rows) => rows.length === 2), "the notified event", 5000);
    for (const rows of got) expect(rows.map((r) => r.id)).toEqual([rows[0]!.id, id]);
    // One read served all 25 subscribers.
    expect(hub.reads - readsBefore).toBeLessThanOrEqual(2);

    stops.forEach((stop) => stop());
    await hub.close();
    expect(await listenerSessions()).toBe(0);
  });
});

describe.runIf(!onServer)("on the embedded PGlite", () => {
  it("finds that NOTIFY does not reach the listener and settles on polling, which delivers", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    const syncId = await runningSync(conn.id);
    const hub = newHub({ pollMs: 40, probeTimeoutMs: 1000 });
    const got: ProgressRow[][] = Array.from({ length: 25 }, () => []);
    got.forEach((rows) => hub.subscribe({ kind: "run", id: syncId }, 0n, (batch) => rows.push(...batch)));
    expect(await settled(hub)).toBe("poll");
    await waitFor(() => got.every((rows) => rows.length === 1), "the replayed start event");

    const first = await advance(syncId, { progress: 10, message: "Downloading orders" });
    const second = await advance(syncId, { progress: 20, message: "Downloading returns" });
    await waitFor(() => got.every((rows) => rows.length === 3), "the polled events");
    for (const rows of got) expect(rows.slice(1).map((r) => r.id)).toEqual([first, second]);
  });

  it("a hub that cannot poll fast does not see events within the test: delivery there is the poll's", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    const syncId = await runningSync(conn.id);
    const hub = newHub({ pollMs: 120_000, probeTimeoutMs: 500 });
    const rows: ProgressRow[] = [];
    hub.subscribe({ kind: "run", id: syncId }, 0n, (batch) => rows.push(...batch));
    expect(await settled(hub)).toBe("poll");
    await waitFor(() => rows.length === 1, "the replay read on subscribe");
    await advance(syncId, { progress: 10, message: "Downloading orders" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rows).toHaveLength(1);
  });
});

describe("on either database", () => {
  it("a late subscriber with an older cursor gets what it lacks without repeating others' events", async () => {
    const user = await createUser();
    const conn = await seller(user.id);
    const syncId = await runningSync(conn.id);
    const hub = newHub({ pollMs: 30, probeTimeoutMs: 1000 });
    const early: ProgressRow[] = [];
    hub.subscribe({ kind: "run", id: syncId }, 0n, (batch) => early.push(...batch));
    const a = await advance(syncId, { progress: 10, message: "a" });
    await waitFor(() => early.length === 2, "the early subscriber's events");
    const late: ProgressRow[] = [];
    hub.subscribe({ kind: "run", id: syncId }, early[0]!.id, (batch) => late.push(...batch));
    await waitFor(() => late.length === 1, "the late subscriber's catch-up");
    const b = await advance(syncId, { progress: 20, message: "b" });
    await waitFor(() => early.length === 3 && late.length === 2, "both get b");
    expect(early.map((r) => r.id)).toEqual([early[0]!.id, a, b]);
    expect(late.map((r) => r.id)).toEqual([a, b]);
  });
});
