import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getSellerConnectionOrThrow } from "@/lib/sellers/get-seller-connection-or-throw";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";
import { createUser, sellingPartnerId } from "../../support/factories";

describe("seller tenancy", () => {
  it("gives each user their own connections only, and 404 for another user's id", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const mine = await db.sellerConnection.create({
      data: { userId: alice.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] },
    });
    expect((await listSellerConnections(alice.id)).map((c) => c.id)).toEqual([mine.id]);
    expect(await listSellerConnections(bob.id)).toEqual([]);
    expect((await getSellerConnectionOrThrow(alice.id, mine.id)).id).toBe(mine.id);
    await expect(getSellerConnectionOrThrow(bob.id, mine.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(getSellerConnectionOrThrow(alice.id, "missing")).rejects.toMatchObject({ code: "not_found" });
  });
});
