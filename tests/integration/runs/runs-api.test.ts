// The operator JSON API over the runner's tables: auth, validation and the error shape.
import { ulid } from "ulid";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { uniqueEmail } from "../../support/factories";

const session = vi.hoisted(() => ({ userId: null as string | null }));
// Operators are named in every environment (nobody when OPERATOR_EMAILS is unset); set before the
// environment is first read.
const OPERATOR = vi.hoisted(() => {
  const email = `operator-${Math.random().toString(36).slice(2)}@example.test`;
  process.env.OPERATOR_EMAILS = `someone-else@example.test, ${email.toUpperCase()}`;
  return email;
});
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const { GET: listRoute } = await import("@/app/api/runs/route");
const { GET: runRoute } = await import("@/app/api/runs/[runId]/route");

const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

describe("runs API", () => {
  beforeEach(async () => {
    session.userId = (await db.user.upsert({ where: { email: OPERATOR }, create: { email: OPERATOR, passwordHash: "not-a-real-hash" }, update: {} })).id;
  });

  it("answers 404 to a signed-in user not named in OPERATOR_EMAILS, list and run alike", async () => {
    session.userId = (await db.user.create({ data: { email: uniqueEmail("seller"), passwordHash: "not-a-real-hash" } })).id;
    const list = await listRoute(new Request("http://app/api/runs"), ctx({}));
    expect(list.status).toBe(404);
    expect(await list.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await runRoute(new Request("http://app/api/runs/x"), ctx({ runId: ulid() }))).status).toBe(404);
  });

  it("answers 401 JSON to a visitor who is not signed in", async () => {
    session.userId = null;
    const res = await listRoute(new Request("http://app/api/runs"), ctx({}));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("lists runs filtered by function and status", async () => {
    const functionId = `api-${ulid()}`;
    const id = ulid();
    await db.runnerRun.create({
      data: { id, functionId, status: "completed", eventId: "e", event: { name: "x/y", data: {} }, triggerKind: "event", dedupeKey: id },
    });
    const res = await listRoute(new Request(`http://app/api/runs?function=${functionId}&status=completed`), ctx({}));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runs: { id: string; trigger: { event: string } }[]; nextCursor: string | null };
    expect(body.runs.map((r) => [r.id, r.trigger.event])).toEqual([[id, "x/y"]]);
    expect(body.nextCursor).toBeNull();
  });

  it("answers 422 with the parameter's name for an invalid query", async () => {
    const res = await listRoute(new Request("http://app/api/runs?status=exploded"), ctx({}));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unprocessable_entity");
    expect(body.error.message).toContain("status");
  });

  it("returns one run with its steps, and 404 for an unknown or malformed id", async () => {
    const id = ulid();
    await db.runnerRun.create({
      data: { id, functionId: `api-${id}`, status: "running", eventId: "e", event: { name: "x/y", data: {} }, triggerKind: "event", dedupeKey: id },
    });
    await db.runnerStep.create({ data: { runId: id, id: "h1", name: "fetch", op: "StepRun", status: "completed", seq: 1, data: [1, 2] } });
    const res = await runRoute(new Request(`http://app/api/runs/${id}`), ctx({ runId: id }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; stepList: { name: string; output: unknown }[] };
    expect(body.stepList).toEqual([expect.objectContaining({ name: "fetch", output: [1, 2] })]);
    const missing = await runRoute(new Request("http://app/api/runs/x"), ctx({ runId: ulid() }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
    const malformed = await runRoute(new Request("http://app/api/runs/x"), ctx({ runId: "nope" }));
    expect(malformed.status).toBe(422);
  });
});
