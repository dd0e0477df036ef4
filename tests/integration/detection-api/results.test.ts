// GET /api/detections/results (lib/detection/api/views.ts): the DetectionItem shape, the status derived
// from the pinned clock (waiting before opensAt, expired after the deadline, filtered in the query),
// each filter at its boundaries, the sorts, paging with the total, tenancy and validation.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ruleById } from "@/lib/detection/rules";
import { call, day, detection, newUser, ok, sellerOf } from "./fixtures";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const results = (await import("@/app/api/detections/results/route")).GET;

const NOW = new Date("2026-06-15T12:00:00.000Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  session.userId = null;
});

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

describe("the item", () => {
  it("answers every DetectionItem field, money in major and minor units, days and the derived window", async () => {
    const user = await newUser();
    const seller = await sellerOf(user.id);
    const d = await detection(seller.id, {
      ruleId: "R03",
      ruleSlug: "inbound-shortage",
      summary: "4 units short on FBA15ABC",
      sku: "SKU-9",
      fnsku: "X009",
      asin: "B009",
      orderId: null,
      shipmentId: "FBA15ABC",
      referenceId: "REF-1",
      units: 4,
      value: 12345,
      currency: "USD",
      valueBasis: "seller-cost",
      confidence: 0.66,
      confidenceReasons: [
        { code: "base", text: "Shipped more than received", factor: 0.8 },
        { code: "no-proof", text: "No proof of delivery uploaded", factor: 0.825 },
      ],
      severity: "high",
      status: "reviewed",
      statusNote: "checked the BOL",
      claimFamily: "inbound-shortage",
      eventDate: day("2026-05-01"),
      opensAt: day("2026-05-31"),
      deadline: day("2026-06-30"),
      windowVerify: true,
      discoveredAt: new Date("2026-06-01T09:30:00.000Z"),
    });
    session.userId = user.id;
    const body = await ok(results, "/api/detections/results");
    expect(body).toEqual({
      total: 1,
      limit: 50,
      offset: 0,
      items: [
        {
          id: d.id,
          ruleId: "R03",
          ruleSlug: "inbound-shortage",
          anomalyType: "inbound_shortage",
          title: ruleById("R03")!.title,
          summary: "4 units short on FBA15ABC",
          sku: "SKU-9",
          fnsku: "X009",
          asin: "B009",
          orderId: null,
          shipmentId: "FBA15ABC",
          referenceId: "REF-1",
          reimbursementId: null,
          removalOrderId: null,
          units: 4,
          estimatedValue: 123.45,
          estimatedValueMinor: 12345,
          currency: "USD",
          valueBasis: "seller-cost",
          confidence: 0.66,
          confidenceReasons: [
            { code: "base", text: "Shipped more than received", factor: 0.8 },
            { code: "no-proof", text: "No proof of delivery uploaded", factor: 0.825 },
          ],
          severity: "high",
          status: "reviewed",
          storedStatus: "reviewed",
          statusNote: "checked the BOL",
          discoveryDate: "2026-06-01T09:30:00.000Z",
          eventDate: "2026-05-01",
          opensAt: "2026-05-31",
          deadline: "2026-06-30",
          daysRemaining: 15,
          fileBy: "2026-06-23",
          expired: false,
          readyToFile: true,
          windowVerify: true,
          resolvedByReimbursementId: null,
          sellerConnectionId: seller.id,
        },
      ],
    });
  });

  it("writes a currency without minor units as whole numbers (JPY)", async () => {
    const user = await newUser();
    const seller = await sellerOf(user.id, { marketplaceIds: ["A1VC38T7YXB528"] });
    await detection(seller.id, { value: 4500, currency: "JPY" });
    session.userId = user.id;
    const [item] = (await ok(results, "/api/detections/results")).items;
    expect({ estimatedValue: item.estimatedValue, estimatedValueMinor: item.estimatedValueMinor }).toEqual({ estimatedValue: 4500, estimatedValueMinor: 4500 });
  });
});

describe("the status derived from the clock", () => {
  let user: { id: string };
  const f: Record<string, string> = {};

  beforeAll(async () => {
    user = await newUser();
    const seller = await sellerOf(user.id);
    // Today is 2026-06-15.
    f.opensToday = (await detection(seller.id, { opensAt: day("2026-06-15"), deadline: day("2026-12-01") })).id;
    f.opensTomorrow = (await detection(seller.id, { opensAt: day("2026-06-16"), deadline: day("2026-12-01") })).id;
    f.closesToday = (await detection(seller.id, { opensAt: day("2026-01-01"), deadline: day("2026-06-15") })).id;
    f.closedYesterday = (await detection(seller.id, { opensAt: day("2026-01-01"), deadline: day("2026-06-14") })).id;
    f.reviewedClosed = (await detection(seller.id, { status: "reviewed", opensAt: day("2026-01-01"), deadline: day("2026-06-01") })).id;
    f.filedClosed = (await detection(seller.id, { status: "filed", opensAt: day("2026-01-01"), deadline: day("2026-06-01") })).id;
    f.noDeadline = (await detection(seller.id, { opensAt: day("2026-01-01"), deadline: null })).id;
  });

  const byId = async (status?: string) => {
    session.userId = user.id;
    const body = await ok(results, `/api/detections/results${status ? `?status=${status}` : ""}`);
    return { body, map: new Map<string, { status: string; daysRemaining: number | null; expired: boolean; readyToFile: boolean }>(body.items.map((i: { id: string }) => [i.id, i])) };
  };

  it("is waiting the day before the window opens and pending on the day it opens", async () => {
    const { map } = await byId();
    expect(map.get(f.opensTomorrow!)!.status).toBe("waiting");
    expect(map.get(f.opensTomorrow!)!.readyToFile).toBe(false);
    expect(map.get(f.opensToday!)!.status).toBe("pending");
  });

  it("is pending with 0 days on the deadline day and expired (-1 day) after it; a filed claim stays filed", async () => {
    const { map } = await byId();
    expect(map.get(f.closesToday!)).toMatchObject({ status: "pending", daysRemaining: 0, expired: false });
    expect(map.get(f.closedYesterday!)).toMatchObject({ status: "expired", daysRemaining: -1, expired: true, readyToFile: false });
    expect(map.get(f.reviewedClosed!)).toMatchObject({ status: "expired", expired: true });
    expect(map.get(f.filedClosed!)).toMatchObject({ status: "filed", expired: false });
    expect(map.get(f.noDeadline!)).toMatchObject({ status: "pending", daysRemaining: null });
  });

  it("filters waiting and expired in the query, with a total that agrees", async () => {
    const waiting = await byId("waiting");
    expect(ids(waiting.body)).toEqual([f.opensTomorrow]);
    expect(waiting.body.total).toBe(1);
    const expired = await byId("expired");
    expect(ids(expired.body).sort()).toEqual([f.closedYesterday, f.reviewedClosed].sort());
    expect(expired.body.total).toBe(2);
    const pending = await byId("pending");
    expect(ids(pending.body).sort()).toEqual([f.opensToday, f.closesToday, f.noDeadline].sort());
    const several = await byId("filed,waiting");
    expect(ids(several.body).sort()).toEqual([f.filedClosed, f.opensTomorrow].sort());
  });

  it("moves with the clock: a day later the deadline-day finding is expired and the waiting one open", async () => {
    vi.setSystemTime(new Date("2026-06-16T00:30:00.000Z"));
    const expired = await byId("expired");
    expect(ids(expired.body).sort()).toEqual([f.closesToday, f.closedYesterday, f.reviewedClosed].sort());
    const waiting = await byId("waiting");
    expect(waiting.body.total).toBe(0);
  });
});

describe("filters", () => {
  let user: { id: string };
  const f: Record<string, string> = {};

  beforeAll(async () => {
    user = await newUser();
    const seller = await sellerOf(user.id);
    f.r01 = (await detection(seller.id, { ruleId: "R01", sku: "SKU-A", severity: "high", deadline: day("2026-07-15") })).id; // today + 30
    f.r02 = (await detection(seller.id, { ruleId: "R02", ruleSlug: "fc-damaged-unreimbursed", sku: "SKU-B", severity: "low", deadline: day("2026-07-16") })).id; // + 31
    f.r03 = (await detection(seller.id, { ruleId: "R03", ruleSlug: "inbound-shortage", sku: "SKU-A", severity: "medium", deadline: day("2026-06-15") })).id; // today
    f.r04 = (await detection(seller.id, { ruleId: "R04", ruleSlug: "return-refunded-not-returned", sku: "SKU-AB", severity: "info", deadline: day("2026-06-14") })).id; // passed
  });

  const query = async (q: string) => {
    session.userId = user.id;
    return ok(results, `/api/detections/results?${q}`);
  };

  it("takes ruleId repeated or as a comma list", async () => {
    expect(ids(await query("ruleId=R01")).sort()).toEqual([f.r01]);
    expect(ids(await query("ruleId=R01&ruleId=R03")).sort()).toEqual([f.r01, f.r03].sort());
    expect(ids(await query("ruleId=R02,R04")).sort()).toEqual([f.r02, f.r04].sort());
  });

  it("matches the SKU exactly, and severity", async () => {
    expect(ids(await query("sku=SKU-A")).sort()).toEqual([f.r01, f.r03].sort());
    expect(ids(await query("severity=high,info")).sort()).toEqual([f.r01, f.r04].sort());
  });

  it("expiringWithinDays: the deadline from today to today + N, both ends included; passed deadlines left out", async () => {
    const body = await query("expiringWithinDays=30");
    expect(ids(body).sort()).toEqual([f.r01, f.r03].sort());
    expect(body.total).toBe(2);
    expect(ids(await query("expiringWithinDays=0"))).toEqual([f.r03]);
    expect(ids(await query("expiringWithinDays=31")).sort()).toEqual([f.r01, f.r02, f.r03].sort());
  });

  it("combines filters with AND", async () => {
    expect(ids(await query("sku=SKU-A&ruleId=R03&expiringWithinDays=5"))).toEqual([f.r03]);
    expect((await query("sku=SKU-B&ruleId=R01")).total).toBe(0);
  });
});

describe("sorting and paging", () => {
  let user: { id: string };
  const f: Record<string, string> = {};

  beforeAll(async () => {
    user = await newUser();
    const seller = await sellerOf(user.id);
    // value x confidence: a 800, b 800 (tie: nearer deadline first), c 900, d 100, e 50 (no deadline).
    f.a = (await detection(seller.id, { value: 1000, confidence: 0.8, deadline: day("2026-09-01") })).id;
    f.b = (await detection(seller.id, { value: 1600, confidence: 0.5, deadline: day("2026-08-01") })).id;
    f.c = (await detection(seller.id, { value: 1000, confidence: 0.9, deadline: day("2026-12-01") })).id;
    f.d = (await detection(seller.id, { value: 200, confidence: 0.5, deadline: day("2026-07-01") })).id;
    f.e = (await detection(seller.id, { value: 100, confidence: 0.5, deadline: null })).id;
  });

  const sorted = async (sort?: string, page = "") => {
    session.userId = user.id;
    return ok(results, `/api/detections/results?${sort ? `sort=${sort}&` : ""}${page}`);
  };

  it("ranks by value x confidence, then the nearest deadline, by default", async () => {
    expect(ids(await sorted())).toEqual([f.c, f.b, f.a, f.d, f.e]);
  });

  it("sorts by deadline (soonest first, none last), -deadline, value and -value", async () => {
    expect(ids(await sorted("deadline"))).toEqual([f.d, f.b, f.a, f.c, f.e]);
    expect(ids(await sorted("-deadline"))).toEqual([f.c, f.a, f.b, f.d, f.e]);
    expect(ids(await sorted("value"))).toEqual([f.e, f.d, f.a, f.c, f.b]);
    expect(ids(await sorted("-value"))).toEqual([f.b, f.a, f.c, f.d, f.e]);
  });

  it("pages with limit and offset, the total counting every match", async () => {
    const first = await sorted(undefined, "limit=2&offset=0");
    const second = await sorted(undefined, "limit=2&offset=2");
    const last = await sorted(undefined, "limit=2&offset=4");
    const beyond = await sorted(undefined, "limit=2&offset=10");
    expect([first, second, last, beyond].map((p) => ({ ids: ids(p), total: p.total, limit: p.limit, offset: p.offset }))).toEqual([
      { ids: [f.c, f.b], total: 5, limit: 2, offset: 0 },
      { ids: [f.a, f.d], total: 5, limit: 2, offset: 2 },
      { ids: [f.e], total: 5, limit: 2, offset: 4 },
      { ids: [], total: 5, limit: 2, offset: 10 },
    ]);
    expect((await sorted(undefined, "limit=200")).limit).toBe(200);
  });
});

describe("tenancy", () => {
  it("never shows another user's findings, and answers their connection id with 404", async () => {
    const me = await newUser();
    const other = await newUser();
    const mine = await sellerOf(me.id);
    const theirs = await sellerOf(other.id);
    const m = await detection(mine.id);
    await detection(theirs.id);
    await detection(theirs.id, { sku: "SKU-A" });
    session.userId = me.id;
    const body = await ok(results, "/api/detections/results?sku=SKU-A");
    expect({ ids: ids(body), total: body.total }).toEqual({ ids: [m.id], total: 1 });
    const foreign = await call(results, `/api/detections/results?sellerConnectionId=${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
  });

  it("answers a named connection of the user with its findings only", async () => {
    const me = await newUser();
    const one = await sellerOf(me.id);
    const two = await sellerOf(me.id);
    const a = await detection(one.id);
    const b = await detection(two.id);
    session.userId = me.id;
    expect(ids(await ok(results, `/api/detections/results?sellerConnectionId=${one.id}`))).toEqual([a.id]);
    expect(ids(await ok(results, "/api/detections/results")).sort()).toEqual([a.id, b.id].sort());
  });

  it("is 401 without a session", async () => {
    const answer = await call(results, "/api/detections/results");
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("unauthorized");
  });
});

describe("validation", () => {
  it.each([
    ["ruleId=R99", "ruleId"],
    ["status=open", "status"],
    ["severity=critical", "severity"],
    ["sort=price", "sort"],
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["offset=-1", "offset"],
    ["expiringWithinDays=soon", "expiringWithinDays"],
    ["sku=%00x", "sku"],
    ["sellerConnectionId=a%2Fb", "sellerConnectionId"],
  ])("answers %s with 422 naming %s", async (q, field) => {
    const user = await newUser();
    session.userId = user.id;
    const answer = await call(results, `/api/detections/results?${q}`);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("unprocessable_entity");
    expect(answer.body.error.message).toContain(field);
  });
});
