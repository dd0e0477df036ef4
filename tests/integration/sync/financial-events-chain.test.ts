// A financial-events NextToken chain read over several steps (lib/sync/engine/api-task.ts): when a
// step's budget runs out mid-chain, the window's occurrence counts go into the task's cursor (jsonb)
// and the next step numbers identical events on from them. On the large seller every long window
// hands over like this; a counter the database refused failed every such window after its retries.
import { describe, expect, it } from "vitest";
import type { FinancialEvents } from "@/lib/amazon/models/finances";
import { db } from "@/lib/db";
import { createEventKeyCounter, financialEventRows } from "@/lib/sync/api-rows/financial-events";
import { chainCounterOf, saveChainCounter } from "@/lib/sync/engine/api-task";
import { createUser, sellingPartnerId } from "@/tests/support/factories";

const usd = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
// Two storage fees with the same content (Amazon lists such repeats; only their count tells them apart).
const storageFee = () => ({ FeeReason: "FBAStorageFee", FeeList: [{ FeeType: "FBAStorageFee", FeeAmount: usd(-12.5) }], FeeDescription: "Monthly storage" });
const shipment = () => ({
  AmazonOrderId: "111-0000000-0000001",
  PostedDate: "2026-01-05T10:00:00Z",
  ShipmentItemList: [{ SellerSKU: "SKU-1", QuantityShipped: 1, ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: usd(20) }] }],
});

async function financialEventsTask(): Promise<string> {
  const user = await createUser("fe-chain");
  const seller = await db.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] } });
  const run = await db.syncRun.create({ data: { sellerConnectionId: seller.id, kind: "historical", trigger: "test", status: "running", startedAt: new Date("2026-01-10T00:00:00Z") } });
  const task = await db.syncTask.create({
    data: { syncRunId: run.id, source: "financial-events", status: "running", windowStart: new Date("2026-01-01T00:00:00Z"), windowEnd: new Date("2026-01-08T00:00:00Z") },
  });
  return task.id;
}

describe("a financial-events chain handed over between steps", () => {
  it("keeps the window's occurrence counts in the task and numbers the next page's repeats on from them", async () => {
    const taskId = await financialEventsTask();
    const counter = createEventKeyCounter();
    const page1 = financialEventRows({ ServiceFeeEventList: [storageFee(), storageFee()], ShipmentEventList: [shipment()] } as FinancialEvents, counter, 1);
    expect(page1.rejected).toEqual([]);

    // The step's budget is spent: the counts are stored, and the next step reads them back.
    await saveChainCounter(taskId, counter);
    const stored = await db.syncTask.findUniqueOrThrow({ where: { id: taskId } });
    const resumed = chainCounterOf(stored.cursor);
    expect([...resumed].sort()).toEqual([...counter].sort());

    const page2 = financialEventRows({ ServiceFeeEventList: [storageFee()], ShipmentEventList: [shipment()] } as FinancialEvents, resumed, page1.nextLine);
    const keys = (rows: typeof page1.rows) => rows.map((r) => String(r.data.eventKey).replace(/^[0-9a-f]{64}/, "<digest>"));
    expect(keys(page1.rows)).toEqual(["<digest>:1", "<digest>:2", "<digest>:1"]);
    // The third storage fee of the window and the shipment's second occurrence: no key reused.
    expect(keys(page2.rows)).toEqual(["<digest>:3", "<digest>:2"]);
    // The same as one step reading both pages.
    const oneStep = createEventKeyCounter();
    financialEventRows({ ServiceFeeEventList: [storageFee(), storageFee()], ShipmentEventList: [shipment()] } as FinancialEvents, oneStep, 1);
    const straight = financialEventRows({ ServiceFeeEventList: [storageFee()], ShipmentEventList: [shipment()] } as FinancialEvents, oneStep, page1.nextLine);
    expect(page2.rows.map((r) => r.data.eventKey)).toEqual(straight.rows.map((r) => r.data.eventKey));
  });

  it("starts a fresh count when the task holds none", () => {
    expect(chainCounterOf(null).size).toBe(0);
    expect(chainCounterOf({ not: "a list" }).size).toBe(0);
  });
});
