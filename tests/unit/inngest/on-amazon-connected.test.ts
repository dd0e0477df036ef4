// Step logic of on-amazon-connected with @inngest/test (no engine). Its durable behaviour on the
// real protocol is covered by runner/conformance.test.ts; the kind it picks against a database by
// tests/integration/sync-api/lifecycle.test.ts.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { onAmazonConnected } from "@/inngest/functions/on-amazon-connected";
import { connectSyncRunId } from "@/lib/sync/connect-sync";

const sent = (ctx: { step: { sendEvent: unknown } }) => (ctx.step.sendEvent as unknown as { mock: { calls: [string, { id?: string; name: string; data: unknown }][] } }).mock.calls;

describe("on-amazon-connected", () => {
  it("requests the kind of sync the connection needs, for the connected seller", async () => {
    for (const kind of ["historical", "incremental"] as const) {
      const t = new InngestTestEngine({
        function: onAmazonConnected,
        events: [{ id: "amazon-connected:sc_1:1767225600000", name: "amazon/connected", data: { sellerConnectionId: "sc_1", userId: "u_1" } }],
      });
      const { result, ctx } = await t.execute({
        steps: [
          { id: "choose-sync-kind:sc_1", handler: () => kind },
          { id: "request-sync:sc_1", handler: () => ({ ids: ["evt_1"] }) },
        ],
      });
      expect(result).toEqual({ sellerConnectionId: "sc_1", kind, syncRequestedEventIds: ["evt_1"] });
      expect(sent(ctx)[0]![1]).toMatchObject({
        name: "sync/requested",
        data: { sellerConnectionId: "sc_1", kind, trigger: "connect", syncRunId: connectSyncRunId("amazon-connected:sc_1:1767225600000") },
      });
    }
  });

  it("asks under an id derived from the trigger's id, so a re-run or a repeated trigger starts one sync", async () => {
    const run = async () => {
      const t = new InngestTestEngine({
        function: onAmazonConnected,
        events: [{ id: "amazon-connected:sc_3:1767225600000", name: "amazon/connected", data: { sellerConnectionId: "sc_3", userId: "u_3" } }],
      });
      const { ctx } = await t.execute({
        steps: [
          { id: "choose-sync-kind:sc_3", handler: () => "historical" },
          { id: "request-sync:sc_3", handler: () => ({ ids: ["x"] }) },
        ],
      });
      return sent(ctx)[0]![1].id;
    };
    const first = await run();
    expect(first).toBe("sync-requested:connect:amazon-connected:sc_3:1767225600000");
    expect(await run()).toBe(first);
  });
});
