// GET and PATCH /api/detections/:id (lib/detection/api/views.ts detectionDetail, status.ts) and GET
// /api/detections/set-asides: the detail's explanation from the rule catalogue, the stored evidence, the
// status history from the audit trail, the SKU's set-asides; a seller's status change kept with its note
// (statusSetBy "seller", AuditLog "detection.status_changed"); filing refused while the window is not
// open; waiting/expired not settable; another user's detection a 404 that changes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { ruleById } from "@/lib/detection/rules";
import { call, day, detection, newUser, ok, sellerOf, setAside } from "./fixtures";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const byIdRoute = await import("@/app/api/detections/[id]/route");
const setAsidesRoute = await import("@/app/api/detections/set-asides/route");

const NOW = new Date("2026-06-15T12:00:00.000Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  session.userId = null;
});

async function signedIn() {
  const user = await newUser();
  const seller = await sellerOf(user.id);
  session.userId = user.id;
  return { user, seller };
}

const patch = (id: string, body: unknown, raw?: string) =>
  call(byIdRoute.PATCH, `/api/detections/${id}`, { method: "PATCH", params: { id }, ...(raw !== undefined ? { raw } : { body }) });
const get = (id: string) => call(byIdRoute.GET, `/api/detections/${id}`, { params: { id } });

describe("GET /api/detections/:id", () => {
  it("answers the item with the rule's explanation, family, marketplace, stored evidence, history and the SKU's set-asides", async () => {
    const { seller } = await signedIn();
    const evidence = {
      rows: [{ table: "LedgerDetail", id: "l1", role: "loss", source: "GET_LEDGER_DETAIL", line: 4, date: "2026-03-01", quantity: -1 }],
      facts: { lost: 1, found: 0, reimbursed: 0 },
      valuation: { basis: "seller-cost", unitMinor: 1000 },
      window: { policyId: "*:fc-lost:2000-01-01", anchor: "2026-03-01", opens: "2026-03-15", deadline: "2027-09-01" },
    };
    const d = await detection(seller.id, { sku: "SKU-D", evidence });
    const mine = await setAside(seller.id, { sku: "SKU-D", reasonCode: "found", reason: "Found on 2026-03-05 at PHX7", recheckAt: null });
    await setAside(seller.id, { sku: "SKU-OTHER" });
    const other = await newUser();
    await setAside((await sellerOf(other.id)).id, { sku: "SKU-D" });
    session.userId = (await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.id } })).userId;

    const { status, body } = await get(d.id);
    expect(status).toBe(200);
    const rule = ruleById("R01")!;
    expect(body.detection).toMatchObject({
      id: d.id,
      ruleId: "R01",
      title: rule.title,
      explanation: rule.explanation,
      claimFamily: "fc-lost",
      marketplaceId: "ATVPDKIKX0DER",
      evidence,
      history: [],
      status: "pending",
    });
    expect(body.detection.explanation.length).toBeGreaterThan(10);
    expect(body.detection.setAsides).toEqual([
      {
        ruleId: "R01",
        ruleSlug: "fc-lost-unreimbursed",
        fingerprint: mine.fingerprint,
        reasonCode: "found",
        reason: "Found on 2026-03-05 at PHX7",
        sku: "SKU-D",
        fnsku: "X00TESTA",
        orderId: null,
        shipmentId: null,
        reimbursementId: null,
        units: 1,
        eventDate: "2026-03-02",
        recheckAt: null,
      },
    ]);
  });

  it("answers another user's detection, a missing one and a malformed id like missing ones", async () => {
    const other = await newUser();
    const theirs = await detection((await sellerOf(other.id)).id);
    await signedIn();
    expect((await get(theirs.id)).status).toBe(404);
    expect((await get("nope123")).status).toBe(404);
    const bad = await get("a.b");
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain("id");
  });
});

describe("PATCH /api/detections/:id", () => {
  it("sets the seller's status with a note, keeps it in the audit trail, and the detail shows the history", async () => {
    const { user, seller } = await signedIn();
    const d = await detection(seller.id);
    const first = await patch(d.id, { status: "reviewed", note: "Counted the bin\nstill missing" });
    expect(first.status).toBe(200);
    expect(first.body.detection).toMatchObject({ id: d.id, status: "reviewed", storedStatus: "reviewed", statusNote: "Counted the bin\nstill missing" });

    vi.setSystemTime(new Date("2026-06-15T13:00:00.000Z"));
    const second = await patch(d.id, { status: "filed", note: "Case 1234567" });
    expect(second.body.detection).toMatchObject({ status: "filed", statusNote: "Case 1234567", readyToFile: false });

    const stored = await db.detection.findUniqueOrThrow({ where: { id: d.id } });
    expect({ status: stored.status, by: stored.statusSetBy, note: stored.statusNote, at: stored.statusChangedAt?.toISOString() }).toEqual({
      status: "filed",
      by: "seller",
      note: "Case 1234567",
      at: "2026-06-15T13:00:00.000Z",
    });
    const audit = await db.auditLog.findMany({ where: { sellerConnectionId: seller.id, action: "detection.status_changed" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => ({ actor: a.actor, userId: a.userId, details: a.details }))).toEqual([
      { actor: `user:${user.id}`, userId: user.id, details: { detectionId: d.id, ruleId: "R01", fingerprint: d.fingerprint, from: "pending", to: "reviewed", note: "Counted the bin\nstill missing" } },
      { actor: `user:${user.id}`, userId: user.id, details: { detectionId: d.id, ruleId: "R01", fingerprint: d.fingerprint, from: "reviewed", to: "filed", note: "Case 1234567" } },
    ]);

    const detail = (await get(d.id)).body.detection;
    expect(detail.history).toEqual([
      { at: "2026-06-15T12:00:00.000Z", actor: `user:${user.id}`, from: "pending", to: "reviewed", note: "Counted the bin\nstill missing" },
      { at: "2026-06-15T13:00:00.000Z", actor: `user:${user.id}`, from: "reviewed", to: "filed", note: "Case 1234567" },
    ]);
  });

  it("keeps one finding's history apart from another's", async () => {
    const { seller } = await signedIn();
    const a = await detection(seller.id);
    const b = await detection(seller.id);
    await patch(a.id, { status: "dismissed", note: "Sold as a bundle" });
    await patch(b.id, { status: "reviewed" });
    expect((await get(a.id)).body.detection.history.map((h: { to: string }) => h.to)).toEqual(["dismissed"]);
    expect((await get(b.id)).body.detection.history).toEqual([expect.objectContaining({ from: "pending", to: "reviewed", note: null })]);
  });

  it("records two changes made at once one after the other, each from the status it replaced", async () => {
    const { seller } = await signedIn();
    const d = await detection(seller.id);
    const answers = await Promise.all([patch(d.id, { status: "reviewed" }), patch(d.id, { status: "dismissed" })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const audit = await db.auditLog.findMany({ where: { sellerConnectionId: seller.id, action: "detection.status_changed" }, orderBy: { id: "asc" } });
    const steps = audit.map((a) => a.details as { from: string; to: string });
    expect(steps).toHaveLength(2);
    expect(steps[0]!.from).toBe("pending");
    expect(steps[1]!.from).toBe(steps[0]!.to);
    expect((await db.detection.findUniqueOrThrow({ where: { id: d.id } })).status).toBe(steps[1]!.to);
  });

  it("records resolvedAt when the seller marks it resolved, and clears it when reopened", async () => {
    const { seller } = await signedIn();
    const d = await detection(seller.id);
    await patch(d.id, { status: "resolved", note: "Paid in case 99" });
    expect((await db.detection.findUniqueOrThrow({ where: { id: d.id } })).resolvedAt?.toISOString()).toBe(NOW.toISOString());
    await patch(d.id, { status: "pending" });
    expect((await db.detection.findUniqueOrThrow({ where: { id: d.id } })).resolvedAt).toBeNull();
  });

  it("writes nothing for a change that changes nothing", async () => {
    const { seller } = await signedIn();
    const d = await detection(seller.id, { status: "reviewed", statusNote: "ok" });
    const same = await patch(d.id, { status: "reviewed", note: "ok" });
    expect(same.status).toBe(200);
    expect(await db.auditLog.count({ where: { sellerConnectionId: seller.id } })).toBe(0);
  });

  it("refuses filing (and disputing) a waiting claim and an expired one with 409 and says why; nothing is written", async () => {
    const { seller } = await signedIn();
    const waiting = await detection(seller.id, { opensAt: day("2026-06-16"), deadline: day("2026-12-01") });
    const expired = await detection(seller.id, { opensAt: day("2026-01-01"), deadline: day("2026-06-14") });
    const early = await patch(waiting.id, { status: "filed" });
    expect(early.status).toBe(409);
    expect(early.body.error).toEqual({ code: "conflict", message: "This claim cannot be filed yet: Amazon's window for it opens on 2026-06-16." });
    const late = await patch(expired.id, { status: "filed", note: "try anyway" });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe("This claim cannot be filed: its deadline passed on 2026-06-14 and Amazon no longer accepts it.");
    expect((await patch(expired.id, { status: "disputed" })).status).toBe(409);
    const rows = await db.detection.findMany({ where: { id: { in: [waiting.id, expired.id] } } });
    expect(rows.map((r) => [r.status, r.statusSetBy])).toEqual([
      ["pending", "system"],
      ["pending", "system"],
    ]);
    expect(await db.auditLog.count({ where: { sellerConnectionId: seller.id } })).toBe(0);
    // Dismissing a claim lost to its window is allowed.
    expect((await patch(expired.id, { status: "dismissed" })).status).toBe(200);
  });

  it("files on the deadline day itself", async () => {
    const { seller } = await signedIn();
    const d = await detection(seller.id, { opensAt: day("2026-01-01"), deadline: day("2026-06-15") });
    expect((await patch(d.id, { status: "filed" })).body.detection.status).toBe("filed");
  });

  it.each([
    [{ status: "waiting" }, "cannot be set"],
    [{ status: "expired" }, "cannot be set"],
    [{ status: "open" }, "status: must be one of pending, reviewed, filed, disputed, resolved, dismissed"],
    [{}, "status"],
    [{ status: "filed", note: "x".repeat(1001) }, "note"],
    [{ status: "filed", note: "bad\u0000byte" }, "note: must not contain control characters"],
    [{ status: "filed", extra: 1 }, "extra"],
  ])("answers %j with 422 (%s) and changes nothing", async (body, message) => {
    const { seller } = await signedIn();
    const d = await detection(seller.id);
    const answer = await patch(d.id, body);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("unprocessable_entity");
    expect(answer.body.error.message).toContain(message);
    expect((await db.detection.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("pending");
  });

  it("answers malformed JSON with 400", async () => {
    const { seller } = await signedIn();
    const d = await detection(seller.id);
    expect((await patch(d.id, undefined, "{not json")).status).toBe(400);
  });

  it("answers another user's detection with 404 and leaves it as it was", async () => {
    const other = await newUser();
    const theirs = await detection((await sellerOf(other.id)).id);
    await signedIn();
    const answer = await patch(theirs.id, { status: "dismissed" });
    expect(answer.status).toBe(404);
    expect((await db.detection.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("pending");
    expect(await db.auditLog.count({ where: { action: "detection.status_changed", details: { path: ["detectionId"], equals: theirs.id } } })).toBe(0);
  });
});

describe("GET /api/detections/set-asides", () => {
  it("lists a SKU's set-asides (also those named by a FNSKU the ledger maps to it), or a rule's; never another user's", async () => {
    const { seller } = await signedIn();
    const bySku = await setAside(seller.id, { sku: "SKU-S", ruleId: "R01" });
    const byFnsku = await setAside(seller.id, { sku: null, fnsku: "X00MAPPED", ruleId: "R02", ruleSlug: "fc-damaged-unreimbursed", recheckAt: day("2026-07-01"), reasonCode: "too-early" });
    await setAside(seller.id, { sku: "SKU-T", ruleId: "R02", ruleSlug: "fc-damaged-unreimbursed" });
    await db.ledgerDetail.create({
      data: {
        sellerConnectionId: seller.id, raw: {}, sourceReport: "test", sourceLine: 1, syncedAt: NOW,
        date: day("2026-03-01"), fnsku: "X00MAPPED", msku: "SKU-S", eventType: "Receipts", referenceId: "R1", quantity: 1,
        fulfillmentCenter: "PHX7", disposition: "SELLABLE", reason: "", country: "US",
      },
    });
    const other = await newUser();
    await setAside((await sellerOf(other.id)).id, { sku: "SKU-S" });
    session.userId = (await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.id } })).userId;

    const sku = await ok(setAsidesRoute.GET, "/api/detections/set-asides?sku=SKU-S");
    expect(sku.items.map((i: { fingerprint: string }) => i.fingerprint)).toEqual([bySku.fingerprint, byFnsku.fingerprint]);
    expect(sku.items[1]).toMatchObject({ reasonCode: "too-early", recheckAt: "2026-07-01", fnsku: "X00MAPPED", sku: null });
    const rule = await ok(setAsidesRoute.GET, "/api/detections/set-asides?ruleId=R02");
    expect(rule.items).toHaveLength(2);
    const both = await ok(setAsidesRoute.GET, "/api/detections/set-asides?sku=SKU-S&ruleId=R02");
    expect(both.items.map((i: { fingerprint: string }) => i.fingerprint)).toEqual([byFnsku.fingerprint]);
  });

  it("asks for a SKU or a rule (422), and checks both", async () => {
    await signedIn();
    const none = await call(setAsidesRoute.GET, "/api/detections/set-asides");
    expect(none.status).toBe(422);
    expect(none.body.error.message).toContain("sku");
    expect((await call(setAsidesRoute.GET, "/api/detections/set-asides?ruleId=X1")).status).toBe(422);
    expect((await call(setAsidesRoute.GET, "/api/detections/set-asides?sku=")).status).toBe(422);
  });
});
