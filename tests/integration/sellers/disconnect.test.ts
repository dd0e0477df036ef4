import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { disconnectSchema, disconnectSeller } from "@/lib/sellers/disconnect-seller";
import { createUser, sellingPartnerId } from "../../support/factories";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));
const { POST: disconnectRoute } = await import("@/app/api/amazon/connections/[sellerConnectionId]/disconnect/route");

function callDisconnect(sellerConnectionId: string, body: unknown) {
  const request = new Request(`http://app/api/amazon/connections/${encodeURIComponent(sellerConnectionId)}/disconnect`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  return disconnectRoute(request, { params: Promise.resolve({ sellerConnectionId }) });
}

async function connection(userId: string) {
  return db.sellerConnection.create({
    data: { userId, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], refreshTokenEncrypted: "v1:k:iv:tag:ct" },
  });
}

describe("disconnecting an Amazon account", () => {
  it("erases the token, keeps the data when asked to, and announces the disconnect", async () => {
    const user = await createUser();
    const seller = await connection(user.id);
    const sent: unknown[] = [];
    const now = new Date("2026-05-04T12:00:00Z");
    await disconnectSeller(seller, { confirm: true, deleteData: false }, async (event, { id }) => void sent.push({ ...event, id }), now);
    const after = await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.id } });
    expect(after.refreshTokenEncrypted).toBeNull();
    expect(after.status).toBe("disconnected");
    expect(after.disconnectedAt).not.toBeNull();
    expect(sent).toEqual([{ sellerConnectionId: seller.id, id: `amazon-disconnected:${seller.id}:${now.getTime()}` }]);
    expect(after.disconnectedAt).toEqual(now);
  });

  it("deletes the connection and its data when asked to", async () => {
    const user = await createUser();
    const seller = await connection(user.id);
    await disconnectSeller(seller, { confirm: true, deleteData: true }, async () => {});
    expect(await db.sellerConnection.findUnique({ where: { id: seller.id } })).toBeNull();
  });

  it("answers another user's connection id as not found and leaves it untouched", async () => {
    const owner = await createUser();
    const intruder = await createUser();
    const seller = await connection(owner.id);
    session.userId = intruder.id;
    const res = await callDisconnect(seller.id, { confirm: true, deleteData: true });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.id } })).refreshTokenEncrypted).not.toBeNull();
  });

  it("answers a malformed connection id with 422 naming it, before any query", async () => {
    session.userId = (await createUser()).id;
    const res = await callDisconnect("abc\u0000def", { confirm: true, deleteData: true });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/^sellerConnectionId:/);
  });

  it("requires an explicit confirmation and a keep-or-delete choice", () => {
    expect(disconnectSchema.safeParse({ deleteData: false }).success).toBe(false);
    expect(disconnectSchema.safeParse({ confirm: false, deleteData: false }).success).toBe(false);
    expect(disconnectSchema.safeParse({ confirm: true }).success).toBe(false);
    expect(disconnectSchema.safeParse({ confirm: true, deleteData: true }).success).toBe(true);
  });

  it("still disconnects when the announcement cannot be sent", async () => {
    const user = await createUser();
    const seller = await connection(user.id);
    await disconnectSeller(seller, { confirm: true, deleteData: false }, async () => {
      throw new Error("runner down");
    });
    expect((await db.sellerConnection.findUniqueOrThrow({ where: { id: seller.id } })).status).toBe("disconnected");
  });
});
