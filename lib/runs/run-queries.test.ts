import { randomUUID } from "node:crypto";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createUser, sellingPartnerId } from "../../tests/support/factories";
import { getRun, listRuns, listRunsQuerySchema } from "./run-queries";

// Runs are seeded at fixed instants, never the real now.
const T0 = Date.parse("2026-03-01T10:00:00Z");

async function seedRun(functionId: string, status: string, at: number, extra: { attempts?: number; data?: Prisma.InputJsonObject; name?: string } = {}) {
  const id = ulid(at);
  await db.runnerRun.create({
    data: {
      id,
      functionId,
      status,
      eventId: `evt-${id}`,
      event: { id: `evt-${id}`, name: extra.name ?? "test/event", data: extra.data ?? { n: at }, ts: at },
      triggerKind: "event",
      dedupeKey: `event:${id}`,
      createdAt: new Date(at),
      startedAt: new Date(at),
      endedAt: status === "running" ? null : new Date(at + 1500),
      attempts: extra.attempts ?? 1,
    },
  });
  return id;
}

describe("run queries", () => {
  it("lists runs newest first with trigger, status, duration and attempts, filtered by status and function", async () => {
    const fn = `queries-${randomUUID()}`;
    const t = T0;
    const a = await seedRun(fn, "completed", t - 3000, { attempts: 3 });
    const b = await seedRun(fn, "failed", t - 2000);
    await seedRun(`${fn}-other`, "failed", t - 1000);
    const all = await listRuns(listRunsQuerySchema.parse({ function: fn }));
    expect(all.runs.map((r) => r.id)).toEqual([b, a]);
    expect(all.runs[1]).toMatchObject({ status: "completed", attempts: 1, calls: 3, durationMs: 1500, trigger: { kind: "event", event: "test/event" } });
    const failed = await listRuns(listRunsQuerySchema.parse({ function: fn, status: "failed" }));
    expect(failed.runs.map((r) => r.id)).toEqual([b]);
  });

  it("counts attempts as the tries of the most-retried step, not the calls made", async () => {
    const fn = `retries-${randomUUID()}`;
    const id = await seedRun(fn, "completed", T0, { attempts: 6 });
    const calls = [
      ["step", 0],
      ["flaky", 0],
      ["flaky", 1],
      ["flaky", 2],
      ["step", 0],
      ["other", 0],
    ] as const;
    for (const [i, [target, attempt]] of calls.entries()) {
      await db.runnerAttempt.create({
        data: { id: `${id}-${i}`, runId: id, target, attempt, status: attempt < 2 && target === "flaky" ? 206 : 200, outcome: "ok", durationMs: 5 },
      });
    }
    const [summary] = (await listRuns(listRunsQuerySchema.parse({ function: fn }))).runs;
    expect(summary).toMatchObject({ attempts: 3, calls: 6 });
    expect(await getRun(id)).toMatchObject({ attempts: 3, calls: 6 });
  });

  it("pages with a cursor until the last page", async () => {
    const fn = `paging-${randomUUID()}`;
    const t = T0;
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await seedRun(fn, "completed", t - 10_000 + i * 100));
    const first = await listRuns(listRunsQuerySchema.parse({ function: fn, limit: "2" }));
    const second = await listRuns(listRunsQuerySchema.parse({ function: fn, limit: "2", cursor: first.nextCursor }));
    const third = await listRuns(listRunsQuerySchema.parse({ function: fn, limit: "2", cursor: second.nextCursor }));
    expect([...first.runs, ...second.runs, ...third.runs].map((r) => r.id)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
  });

  it("rejects a malformed query", () => {
    expect(listRunsQuerySchema.safeParse({ status: "exploded" }).success).toBe(false);
    expect(listRunsQuerySchema.safeParse({ cursor: "not-a-ulid" }).success).toBe(false);
    expect(listRunsQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });

  it("shows a run's steps in the order they settled, with outputs, errors and the calls made", async () => {
    const id = await seedRun(`detail-${randomUUID()}`, "failed", T0);
    await db.runnerStep.createMany({
      data: [
        { runId: id, id: "h2", name: "save", op: "StepRun", status: "failed", seq: 2, error: { name: "Error", message: "disk full" }, attempt: 3 },
        { runId: id, id: "h1", name: "fetch", op: "StepRun", status: "completed", seq: 1, data: { rows: 2 } },
        { runId: id, id: "h3", name: "nap", op: "Sleep", status: "sleeping" },
      ],
    });
    await db.runnerAttempt.create({ data: { id: ulid(), runId: id, target: "h2", attempt: 3, status: 206, outcome: "steps", durationMs: 12 } });
    const run = await getRun(id);
    expect(run?.stepList.map((s) => [s.name, s.status, s.output, s.error])).toEqual([
      ["fetch", "completed", { rows: 2 }, null],
      ["save", "failed", null, { name: "Error", message: "disk full" }],
      ["nap", "sleeping", null, null],
    ]);
    expect(run?.attemptLog).toMatchObject([{ target: "save", attempt: 3, httpStatus: 206, outcome: "steps" }]);
  });

  it("returns null for an unknown run", async () => {
    expect(await getRun(ulid())).toBeNull();
  });

  it("shows whose run it is: the seller connection's selling partner id and its user's email, joined from the event", async () => {
    const fn = `tenants-${randomUUID()}`;
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const aliceSeller = await db.sellerConnection.create({ data: { userId: alice.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: [] } });
    const bobSeller = await db.sellerConnection.create({ data: { userId: bob.id, sellingPartnerId: sellingPartnerId(), region: "EU", marketplaceIds: [] } });
    const aliceRun = await seedRun(fn, "completed", T0 - 5000, { name: "amazon/connected", data: { sellerConnectionId: aliceSeller.id, userId: alice.id } });
    const bobRun = await seedRun(fn, "completed", T0 - 4000, { name: "sync/requested", data: { sellerConnectionId: bobSeller.id, kind: "historical" } });
    const cronRun = await seedRun(fn, "completed", T0 - 3000, { name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" } });
    // A connection deleted with its data since: its id stays, the event's user still resolves.
    const goneRun = await seedRun(fn, "failed", T0 - 2000, { name: "amazon/connected", data: { sellerConnectionId: "cgone0000000000000000000", userId: bob.id } });
    const junkRun = await seedRun(fn, "failed", T0 - 1000, { name: "x/y", data: { sellerConnectionId: 42, userId: ["not", "an", "id"] } });

    const { runs } = await listRuns(listRunsQuerySchema.parse({ function: fn }));
    const tenantOf = Object.fromEntries(runs.map((r) => [r.id, r.tenant]));
    expect(tenantOf).toEqual({
      [aliceRun]: { sellerConnectionId: aliceSeller.id, sellingPartnerId: aliceSeller.sellingPartnerId, region: "NA", userEmail: alice.email },
      [bobRun]: { sellerConnectionId: bobSeller.id, sellingPartnerId: bobSeller.sellingPartnerId, region: "EU", userEmail: bob.email },
      [cronRun]: null,
      [goneRun]: { sellerConnectionId: "cgone0000000000000000000", sellingPartnerId: null, region: null, userEmail: bob.email },
      [junkRun]: null,
    });
    expect((await getRun(bobRun))?.tenant).toEqual(tenantOf[bobRun]);
    expect((await getRun(cronRun))?.tenant).toBeNull();
  });
});
