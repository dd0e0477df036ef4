import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { consumeOAuthState, createOAuthState, hashState, STATE_TTL_MS } from "@/lib/sellers/oauth-state";
import { createUser } from "../../support/factories";

describe("Connect Amazon state", () => {
  it("is stored only as a hash and accepted once for the user who started it", async () => {
    const user = await createUser();
    const state = await createOAuthState(user.id, "NA");
    const rows = await db.amazonOAuthState.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.stateHash).toBe(hashState(state));
    expect(JSON.stringify(rows)).not.toContain(state);

    expect(await consumeOAuthState(state, user.id)).toEqual({ ok: true, region: "NA" });
    expect(await consumeOAuthState(state, user.id)).toEqual({ ok: false, reason: "reused" });
  });

  it("rejects an unknown, a tampered, an expired and another user's state", async () => {
    const owner = await createUser();
    const other = await createUser();
    const state = await createOAuthState(owner.id, "NA");

    expect(await consumeOAuthState("never-issued", owner.id)).toEqual({ ok: false, reason: "unknown" });
    expect(await consumeOAuthState(state.slice(0, -1) + (state.endsWith("A") ? "B" : "A"), owner.id)).toEqual({
      ok: false,
      reason: "unknown",
    });
    expect(await consumeOAuthState(state, other.id)).toEqual({ ok: false, reason: "foreign" });
    const later = new Date(Date.now() + STATE_TTL_MS + 1000);
    expect(await consumeOAuthState(state, owner.id, later)).toEqual({ ok: false, reason: "expired" });
    // Refusals do not burn the state for its owner while it is still valid.
    expect((await consumeOAuthState(state, owner.id)).ok).toBe(true);
  });

  it("lets exactly one of two racing callbacks win", async () => {
    const user = await createUser();
    const state = await createOAuthState(user.id, "NA");
    const results = await Promise.all([consumeOAuthState(state, user.id), consumeOAuthState(state, user.id)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});
