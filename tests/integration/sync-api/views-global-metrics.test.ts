// GET /api/health's `metrics` (lib/sync/api/views.ts globalSyncMetrics) counts every tenant's runs, so
// exact numbers need a database no other test file writes to: an embedded one of this file's own, read
// through a client of its own (the app's `db` stays on the shared test database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../../scripts/db/schema-engine";
import { createPrismaClient, type Db } from "@/lib/db";
import { globalSyncMetrics } from "@/lib/sync/api/views";
import { checkHealth } from "@/lib/health";
import { createEmbeddedDatabase, type OwnDatabase } from "../../support/own-database";

let own: OwnDatabase;
let client: Db;

beforeAll(async () => {
  own = await createEmbeddedDatabase();
  await applyMigrations(own.url);
  client = createPrismaClient(own.url, { max: 2 });
});

afterAll(async () => {
  await client?.$disconnect();
  await own?.close();
});

async function seller(email: string) {
  const user = await client.user.create({ data: { email, passwordHash: "x" } });
  return client.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: email.toUpperCase().replace(/\W/g, ""), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] } });
}

describe("the health metrics", () => {
  it("read zero and null before any sync", async () => {
    expect(await globalSyncMetrics(client)).toEqual({ activeJobs: 0, totalJobs: 0, lastSync: null, discrepanciesFound: 0 });
  });

  it("count running and all runs, the newest completed end and the discrepancies, over every tenant", async () => {
    const a = await seller("a@example.test");
    const b = await seller("b@example.test");
    const at = (iso: string) => new Date(iso);
    await client.syncRun.createMany({
      data: [
        { sellerConnectionId: a.id, kind: "historical", status: "completed", trigger: "connect", startedAt: at("2026-04-01T00:00:00Z"), completedAt: at("2026-04-01T01:00:00Z"), claimsDetected: 4 },
        { sellerConnectionId: a.id, kind: "incremental", status: "running", trigger: "cron", activeFor: a.id, startedAt: at("2026-04-03T00:00:00Z") },
        { sellerConnectionId: b.id, kind: "historical", status: "completed", trigger: "connect", startedAt: at("2026-04-02T00:00:00Z"), completedAt: at("2026-04-02T02:00:00Z"), claimsDetected: 6 },
        // A failed or cancelled run's end is not a sync that happened.
        { sellerConnectionId: b.id, kind: "incremental", status: "failed", trigger: "cron", startedAt: at("2026-04-05T00:00:00Z"), completedAt: at("2026-04-05T00:01:00Z"), claimsDetected: 1 },
        { sellerConnectionId: b.id, kind: "incremental", status: "cancelled", trigger: "user:x", startedAt: at("2026-04-06T00:00:00Z"), completedAt: at("2026-04-06T00:01:00Z") },
      ],
    });
    const metrics = await globalSyncMetrics(client);
    expect(metrics).toEqual({ activeJobs: 1, totalJobs: 5, lastSync: "2026-04-02T02:00:00.000Z", discrepanciesFound: 11 });
    expect((await checkHealth({}, 3000, () => globalSyncMetrics(client))).metrics).toEqual(metrics);
  });
});
