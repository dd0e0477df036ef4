// The detection totals (lib/detection/api/summary.ts): GET /api/detections/summary, seed 003's
// /api/v1/discrepancies/summary and /api/v1/claims/summary/:userId, /api/v1/claims/health, and the
// dashboard's /api/recoveries (the fallback sync is tested in events.test.ts, where sends are seen).
// Counts and values per derived status at a pinned clock, per currency (the headline in the currency
// holding the most value), another user's rows never counted.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { RULES } from "@/lib/detection/rules";
import { SYNC_PLAN } from "@/lib/sync/plan";
import { call, day, detection, newUser, ok, sellerOf, setAside } from "./fixtures";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const summary = (await import("@/app/api/detections/summary/route")).GET;
const discrepancies = (await import("@/app/api/v1/discrepancies/summary/route")).GET;
const claims = (await import("@/app/api/v1/claims/summary/[userId]/route")).GET;
const health = (await import("@/app/api/v1/claims/health/route")).GET;
const recoveries = (await import("@/app/api/recoveries/route")).GET;
const recoveriesV1 = (await import("@/app/api/v1/integrations/amazon/recoveries/route")).GET;

const NOW = new Date("2026-06-15T12:00:00.000Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  session.userId = null;
});

// One seller's book, today 2026-06-15 (USD unless said; values in cents):
//  p1 pending high 100.00 conf 0.8, deadline 2026-06-20 (5 d)   open, ready, expiring
//  p2 pending medium 50.00 conf 0.5, deadline 2026-06-29 (14 d) open, not ready, expiring (boundary)
//  p3 reviewed low 20.00 conf 0.9, deadline 2026-06-30 (15 d)  open, ready, not expiring
//  w  pending medium 30.00, opens 2026-06-20                     waiting: open, not ready
//  x  pending high 70.00, deadline 2026-06-10                    expired
//  f  filed medium 40.00 conf 0.7                                 open
//  r  resolved medium 25.00 (R02)                                 recovered
//  dm dismissed low 5.00                                          closed
//  i  pending info 0.50 conf 0.3                                  not open (info)
//  e1 pending high EUR 80.00 conf 0.8 (R03)                       open, ready
async function book(sellerConnectionId: string) {
  const f: Record<string, string> = {};
  const mk = async (name: string, input: Parameters<typeof detection>[1]) => {
    f[name] = (await detection(sellerConnectionId, input)).id;
  };
  await mk("p1", { value: 10000, confidence: 0.8, severity: "high", deadline: day("2026-06-20"), discoveredAt: new Date("2026-05-01T00:00:00Z") });
  await mk("p2", { value: 5000, confidence: 0.5, severity: "medium", deadline: day("2026-06-29"), discoveredAt: new Date("2026-05-02T00:00:00Z") });
  await mk("p3", { value: 2000, confidence: 0.9, severity: "low", status: "reviewed", deadline: day("2026-06-30"), discoveredAt: new Date("2026-05-03T00:00:00Z") });
  await mk("w", { value: 3000, confidence: 0.8, severity: "medium", opensAt: day("2026-06-20"), deadline: day("2026-06-25"), discoveredAt: new Date("2026-05-04T00:00:00Z") });
  await mk("x", { value: 7000, confidence: 0.8, severity: "high", opensAt: day("2026-01-01"), deadline: day("2026-06-10"), discoveredAt: new Date("2026-05-05T00:00:00Z") });
  await mk("f", { value: 4000, confidence: 0.7, severity: "medium", status: "filed", discoveredAt: new Date("2026-05-06T00:00:00Z") });
  await mk("r", { value: 2500, confidence: 0.8, severity: "medium", status: "resolved", ruleId: "R02", ruleSlug: "fc-damaged-unreimbursed", discoveredAt: new Date("2026-05-07T00:00:00Z") });
  await mk("dm", { value: 500, confidence: 0.8, severity: "low", status: "dismissed", discoveredAt: new Date("2026-05-08T00:00:00Z") });
  await mk("i", { value: 50, confidence: 0.3, severity: "info", discoveredAt: new Date("2026-05-09T00:00:00Z") });
  await mk("e1", {
    value: 8000,
    confidence: 0.8,
    severity: "high",
    currency: "EUR",
    marketplaceId: "A1PA6795UKMFR9",
    ruleId: "R03",
    ruleSlug: "inbound-shortage",
    discoveredAt: new Date("2026-05-10T00:00:00Z"),
    lastSeenRunAt: new Date("2026-06-14T10:00:00.000Z"),
  });
  return f;
}

let user: { id: string };
let seller: { id: string };
let f: Record<string, string>;

beforeAll(async () => {
  user = await newUser();
  seller = await sellerOf(user.id);
  f = await book(seller.id);
  await setAside(seller.id, { runAt: new Date("2026-06-14T11:00:00.000Z") });
  // Another user's rows, which must never be counted.
  const other = await newUser();
  const theirs = await sellerOf(other.id);
  await detection(theirs.id, { value: 999999, severity: "high", lastSeenRunAt: new Date("2026-06-15T11:00:00.000Z") });
  await setAside(theirs.id, { runAt: new Date("2026-06-15T11:30:00.000Z") });
});

describe("GET /api/detections/summary", () => {
  it("counts per derived status and severity, values in the currency holding the most value, per currency as well", async () => {
    session.userId = user.id;
    const body = await ok(summary, "/api/detections/summary");
    expect(body).toMatchObject({
      total: 10,
      // p1 p2 p3 w f e1 (x expired, r resolved, dm dismissed, i info)
      open: 6,
      currency: "USD",
      // 100 + 50 + 20 + 30 + 70 + 40 + 25 + 5 + 0.50
      totalValue: 340.5,
      // p1 p2 p3 w f
      openValue: 240,
      // p1 p3 (p2 under 0.6, w waiting)
      readyToFileValue: 120,
      expiredValue: 70,
      recoveredValue: 25,
      byStatus: { pending: 4, reviewed: 1, filed: 1, disputed: 0, resolved: 1, dismissed: 1, waiting: 1, expired: 1 },
      bySeverity: { high: 3, medium: 4, low: 2, info: 1 },
      lastRunAt: "2026-06-14T11:00:00.000Z",
    });
    expect(body.totalsByCurrency.map((t: { currency: string; count: number; totalValue: number; openValue: number }) => [t.currency, t.count, t.totalValue, t.openValue])).toEqual([
      ["USD", 9, 340.5, 240],
      ["EUR", 1, 80, 80],
    ]);
    expect(body.totalsByCurrency[0]).toMatchObject({ totalValueMinor: 34050, openValueMinor: 24000, readyToFileValueMinor: 12000, expiredValueMinor: 7000, recoveredValueMinor: 2500 });
  });

  it("lists each rule with its count and value, all and open, in the headline currency", async () => {
    session.userId = user.id;
    const body = await ok(summary, "/api/detections/summary");
    // R01 open: p1 p2 p3 w f (100 + 50 + 20 + 30 + 40); x expired, dm dismissed, i info are not.
    // R02: r is resolved. R03: e1 is open, in EUR (not the headline currency).
    expect(body.byRule).toEqual([
      { ruleId: "R01", ruleSlug: "fc-lost-unreimbursed", anomalyType: "lost_inventory", title: RULES[0]!.title, count: 8, value: 315.5, openCount: 5, openValue: 240, currency: "USD" },
      { ruleId: "R02", ruleSlug: "fc-damaged-unreimbursed", anomalyType: "damaged_inventory", title: RULES[1]!.title, count: 1, value: 25, openCount: 0, openValue: 0, currency: "USD" },
      { ruleId: "R03", ruleSlug: "inbound-shortage", anomalyType: "inbound_shortage", title: RULES[2]!.title, count: 1, value: 0, openCount: 1, openValue: 0, currency: "USD" },
    ]);
  });

  it("expiringSoon: open to file, deadline within 14 days (the 14th included, the 15th not), soonest first", async () => {
    session.userId = user.id;
    const body = await ok(summary, "/api/detections/summary");
    expect(body.expiringSoon.map((i: { id: string }) => i.id)).toEqual([f.p1, f.p2]);
    expect(body.expiringSoon[0]).toMatchObject({ daysRemaining: 5, status: "pending" });
  });

  it("heads with the other currency once it holds more value", async () => {
    const me = await newUser();
    const s = await sellerOf(me.id);
    await detection(s.id, { value: 1000, currency: "USD" });
    await detection(s.id, { value: 1500, currency: "EUR" });
    await detection(s.id, { value: 700, currency: "EUR" });
    session.userId = me.id;
    const body = await ok(summary, "/api/detections/summary");
    expect({ currency: body.currency, totalValue: body.totalValue, total: body.total }).toEqual({ currency: "EUR", totalValue: 22, total: 3 });
  });

  it("answers zeros in the first marketplace's currency for a seller with no findings", async () => {
    const me = await newUser();
    await sellerOf(me.id, { marketplaceIds: ["A1F83G8C2ARO7P"] });
    session.userId = me.id;
    const body = await ok(summary, "/api/detections/summary");
    expect(body).toMatchObject({ total: 0, open: 0, currency: "GBP", totalValue: 0, openValue: 0, byRule: [], expiringSoon: [], lastRunAt: null, totalsByCurrency: [] });
    expect(Object.values(body.byStatus).every((n) => n === 0)).toBe(true);
  });

  it("moves with the clock: six days later p1 has expired, the waiting one is open and p3 falls within 14 days", async () => {
    vi.setSystemTime(new Date("2026-06-21T12:00:00.000Z"));
    session.userId = user.id;
    const body = await ok(summary, "/api/detections/summary");
    // p1 (deadline 06-20) has expired, w (06-20..06-25) is open now.
    expect(body.byStatus).toMatchObject({ expired: 2, waiting: 0, pending: 4 });
    expect(body.expiredValue).toBe(170);
    expect(body.expiringSoon.map((i: { id: string }) => i.id)).toEqual([f.w, f.p2, f.p3]);
  });
});

describe("seed 003's summaries", () => {
  it("GET /api/v1/discrepancies/summary: totals and the 10 latest findings, newest first", async () => {
    session.userId = user.id;
    const body = await ok(discrepancies, "/api/v1/discrepancies/summary");
    expect(body.total).toBe(10);
    expect(body.bySeverity).toEqual({ high: 3, medium: 4, low: 2, info: 1 });
    expect(body.byStatus.expired).toBe(1);
    expect(body.recentDiscrepancies.map((i: { id: string }) => i.id)).toEqual([f.e1, f.i, f.dm, f.r, f.f, f.x, f.w, f.p3, f.p2, f.p1]);
    expect(body.recentDiscrepancies[0]).toMatchObject({ currency: "EUR", estimatedValue: 80, anomalyType: "inbound_shortage" });
  });

  it("GET /api/v1/claims/summary/:userId: totals for the caller; another user's id is a 404", async () => {
    session.userId = user.id;
    const body = await ok(claims, `/api/v1/claims/summary/${user.id}`, { params: { userId: user.id } });
    const confidences = [0.8, 0.5, 0.9, 0.8, 0.8, 0.7, 0.8, 0.8, 0.3, 0.8];
    expect(body).toMatchObject({
      totalClaims: 10,
      currency: "USD",
      totalPotentialRecovery: 240,
      claimsByType: { lost_inventory: 8, damaged_inventory: 1, inbound_shortage: 1 },
      averageConfidence: Number((confidences.reduce((a, b) => a + b, 0) / 10).toFixed(3)),
      // open USD findings, value x confidence: 100*.8 + 50*.5 + 20*.9 + 30*.8 + 40*.7
      estimatedTotalPayout: 175,
    });
    expect(body.claimsByStatus).toMatchObject({ pending: 4, expired: 1, filed: 1 });
    const other = await newUser();
    const foreign = await call(claims, `/api/v1/claims/summary/${other.id}`, { params: { userId: other.id } });
    expect(foreign.status).toBe(404);
    expect((await call(claims, "/api/v1/claims/summary/a.b", { params: { userId: "a.b" } })).status).toBe(422);
  });
});

describe("GET /api/v1/claims/health", () => {
  it("lists every rule; says why the unsupported ones do not run; degraded while a synced seller lacks a source a rule needs", async () => {
    const me = await newUser();
    const s = await sellerOf(me.id);
    await db.syncRun.create({ data: { sellerConnectionId: s.id, kind: "historical", trigger: "connect", status: "completed", completedAt: new Date("2026-06-14T00:00:00Z") } });
    await db.dataSourceState.create({ data: { sellerConnectionId: s.id, source: "ledger-detail", lastPulledAt: new Date("2026-06-14T00:00:00Z"), health: "ok" } });
    await detection(s.id, { severity: "high" });
    session.userId = me.id;
    const body = await ok(health, "/api/v1/claims/health");
    expect(body.status).toBe("degraded");
    expect(body.openClaims).toBe(1);
    expect(body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual(RULES.map((r) => r.id));
    const r11 = body.rules.find((r: { ruleId: string }) => r.ruleId === "R11");
    expect(r11).toMatchObject({ supported: false });
    expect(r11.reason).toContain("dimensions");
    const r01 = body.rules.find((r: { ruleId: string }) => r.ruleId === "R01");
    expect(r01).toMatchObject({ supported: true, reason: "waiting for data: reimbursements" });
  });

  it("is ok once every source is in and healthy, and names a degraded one", async () => {
    const me = await newUser();
    const s = await sellerOf(me.id);
    await db.syncRun.create({ data: { sellerConnectionId: s.id, kind: "historical", trigger: "connect", status: "completed", completedAt: new Date("2026-06-14T00:00:00Z") } });
    const sources = [...new Set(SYNC_PLAN.map((e) => e.source))];
    await db.dataSourceState.createMany({ data: sources.map((source) => ({ sellerConnectionId: s.id, source, lastPulledAt: new Date("2026-06-14T00:00:00Z"), health: "ok" })) });
    session.userId = me.id;
    const okBody = await ok(health, "/api/v1/claims/health");
    expect(okBody.status).toBe("ok");
    expect(okBody.rules.filter((r: { supported: boolean; reason?: string }) => r.supported && r.reason)).toEqual([]);
    await db.dataSourceState.update({ where: { sellerConnectionId_source: { sellerConnectionId: s.id, source: "reimbursements" } }, data: { health: "degraded" } });
    const degraded = await ok(health, "/api/v1/claims/health");
    expect(degraded.status).toBe("degraded");
    expect(degraded.rules.find((r: { ruleId: string }) => r.ruleId === "R01").reason).toBe("last pull degraded: reimbursements");
  });

  it("is ok for a seller who never synced (waiting, not broken)", async () => {
    const me = await newUser();
    await sellerOf(me.id);
    session.userId = me.id;
    expect((await ok(health, "/api/v1/claims/health")).status).toBe("ok");
  });
});

describe("GET /api/recoveries", () => {
  it("answers the dashboard's totals, the last completed sync and a running one; the v1 alias is the same handler", async () => {
    await db.syncRun.create({
      data: { sellerConnectionId: seller.id, kind: "historical", trigger: "connect", status: "completed", startedAt: new Date("2026-06-01T00:00:00Z"), completedAt: new Date("2026-06-01T02:00:00Z") },
    });
    session.userId = user.id;
    const body = await ok(recoveries, "/api/recoveries");
    expect(body).toMatchObject({
      totalPotentialRecovery: 240,
      readyToFileValue: 120,
      recoveredValue: 25,
      expiredValue: 70,
      openClaims: 6,
      currency: "USD",
      lastSyncAt: "2026-06-01T02:00:00.000Z",
      syncing: false,
      syncId: null,
    });
    const running = await db.syncRun.create({
      data: { sellerConnectionId: seller.id, kind: "incremental", trigger: "cron", status: "running", activeFor: seller.id, startedAt: new Date("2026-06-15T11:00:00Z") },
    });
    const during = await ok(recoveriesV1, "/api/v1/integrations/amazon/recoveries");
    expect({ syncing: during.syncing, syncId: during.syncId, total: during.totalPotentialRecovery }).toEqual({ syncing: true, syncId: running.id, total: 240 });
    expect(recoveriesV1).toBe(recoveries);
  });
});
