// Step logic of on-amazon-connected with @inngest/test (no engine). Its durable behaviour on the
// real protocol is covered by runner/conformance.test.ts.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { onAmazonConnected } from "@/inngest/functions/on-amazon-connected";

describe("on-amazon-connected", () => {
  it("requests a historical sync for the connected seller", async () => {
    const t = new InngestTestEngine({
      function: onAmazonConnected,
      events: [{ name: "amazon/connected", data: { sellerConnectionId: "sc_1", userId: "u_1" } }],
    });
    const { result } = await t.execute({
      steps: [
        {
          id: "request-historical-sync:sc_1",
          handler: () => ({ ids: ["evt_1"] }),
        },
      ],
    });
    expect(result).toEqual({ sellerConnectionId: "sc_1", syncRequestedEventIds: ["evt_1"] });
  });

  it("reports the sendEvent step with the sync/requested payload", async () => {
    const t = new InngestTestEngine({
      function: onAmazonConnected,
      events: [{ name: "amazon/connected", data: { sellerConnectionId: "sc_2", userId: "u_2" } }],
    });
    const { ctx } = await t.execute({ steps: [{ id: "request-historical-sync:sc_2", handler: () => ({ ids: ["x"] }) }] });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith(
      "request-historical-sync:sc_2",
      expect.objectContaining({ name: "sync/requested", data: { sellerConnectionId: "sc_2", kind: "historical" } }),
    );
  });

  it("asks under an id derived from the trigger's id, so a re-run or a repeated trigger starts one sync", async () => {
    const run = async () => {
      const t = new InngestTestEngine({
        function: onAmazonConnected,
        events: [{ id: "amazon-connected:sc_3:1767225600000", name: "amazon/connected", data: { sellerConnectionId: "sc_3", userId: "u_3" } }],
      });
      const { ctx } = await t.execute({ steps: [{ id: "request-historical-sync:sc_3", handler: () => ({ ids: ["x"] }) }] });
      return (ctx.step.sendEvent as unknown as { mock: { calls: [string, { id?: string }][] } }).mock.calls[0]![1].id;
    };
    const first = await run();
    expect(first).toBe("sync-requested:historical:amazon-connected:sc_3:1767225600000");
    expect(await run()).toBe(first);
  });
});
