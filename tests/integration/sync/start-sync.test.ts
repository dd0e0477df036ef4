// Starting a sync: one run per request (a repeated step finds the run it made), and nothing to start
// for a connection that is gone or no longer connected.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startSync } from "@/lib/sync/start-sync";
import { createUser, sellingPartnerId } from "../../support/factories";

async function connection(status: string) {
  const user = await createUser("start");
  return db.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], status } });
}

describe("startSync", () => {
  it("plans one run per request, however often the step runs", async () => {
    const seller = await connection("connected");
    const first = await startSync({ requestId: `req-${seller.id}`, sellerConnectionId: seller.id, kind: "historical", asOf: "2026-06-15T12:00:00.000Z" });
    const again = await startSync({ requestId: `req-${seller.id}`, sellerConnectionId: seller.id, kind: "historical", asOf: "2026-06-15T12:00:00.000Z" });
    expect("skipped" in first).toBe(false);
    expect(again).toMatchObject({ syncRunId: (first as { syncRunId: string }).syncRunId, created: false });
    expect((again as { sources: string[] }).sources).toEqual((first as { sources: string[] }).sources);
    const runs = await db.syncRun.count({ where: { sellerConnectionId: seller.id } });
    expect(runs).toBe(1);
    const tasks = await db.syncTask.findMany({ where: { syncRun: { sellerConnectionId: seller.id } } });
    expect(Math.max(...tasks.map((t) => t.windowEnd!.getTime()))).toBe(Date.parse("2026-06-15T11:55:00.000Z"));
  });

  it("starts nothing for a disconnected seller or a connection that is gone", async () => {
    const seller = await connection("disconnected");
    expect(await startSync({ requestId: "r1", sellerConnectionId: seller.id, kind: "historical" })).toEqual({ skipped: "The seller connection is disconnected" });
    expect(await startSync({ requestId: "r2", sellerConnectionId: "no-such-connection", kind: "historical" })).toEqual({ skipped: "The seller connection no longer exists" });
    expect(await db.syncRun.count({ where: { sellerConnectionId: seller.id } })).toBe(0);
  });
});
