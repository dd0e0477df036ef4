// Seed 000's JSON answer to the OAuth callback names the sync the connect starts before that sync's
// function has created it: the id the callback computes is the id the function uses, and a sync
// already running is named instead. /api/amazon/oauth-callback is the same handler.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { connectJob, connectSyncRunId } from "@/lib/sync/connect-sync";
import { startSync } from "@/lib/sync/start-sync";
import { amazonConnectedEventId } from "@/lib/sellers/sync-trigger";
import { createUser, sellingPartnerId } from "../../support/factories";

async function connection(connectedAt: Date) {
  const user = await createUser();
  return db.sellerConnection.create({
    data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], refreshTokenEncrypted: "v1:k:iv:tag:ct", connectedAt },
  });
}

describe("the callback's job id", () => {
  it("is the run the connect's sync function creates", async () => {
    const seller = await connection(new Date("2026-04-01T08:00:00Z"));
    const answer = await connectJob(seller.id);
    // What on-amazon-connected does with the trigger it receives (id from the connection and its connect time).
    const triggerId = amazonConnectedEventId(seller.id, seller.connectedAt);
    expect(answer).toEqual({ jobId: connectSyncRunId(triggerId), status: "running", message: expect.any(String) });
    const started = await startSync({ requestId: `sync-requested:connect:${triggerId}`, syncRunId: connectSyncRunId(triggerId), sellerConnectionId: seller.id, kind: "historical", trigger: "connect" });
    expect(started).toMatchObject({ syncRunId: answer.jobId, created: true });
    // Asked again while that sync runs, it names the running sync.
    expect((await connectJob(seller.id)).jobId).toBe(answer.jobId);
  });

  it("names the running sync after a reconnect, not the one the reconnect would have started", async () => {
    const seller = await connection(new Date("2026-04-01T08:00:00Z"));
    const running = await startSync({ requestId: "earlier-sync", sellerConnectionId: seller.id, kind: "historical", trigger: "test" });
    await db.sellerConnection.update({ where: { id: seller.id }, data: { connectedAt: new Date("2026-04-02T08:00:00Z") } });
    expect((await connectJob(seller.id)).jobId).toBe((running as { syncRunId: string }).syncRunId);
  });

  it("is served at seed 000's callback path by the same handler", async () => {
    const [callback, alias] = await Promise.all([import("@/app/api/amazon/callback/route"), import("@/app/api/amazon/oauth-callback/route")]);
    expect(alias.GET).toBe(callback.GET);
  });
});
