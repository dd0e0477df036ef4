import { describe, expect, it } from "vitest";
import { getInventorySummariesResponseSchema, type InventorySummary } from "../../amazon/models/inventory";
import { validateResponse } from "../../../sandbox/test-support/conformance";
import { inventorySummaryRows } from "./inventory-summaries";
import { MODELS_AVAILABLE, MODELS_REQUIRED } from "./model-examples.test-support";

const US = "ATVPDKIKX0DER";

// fbaInventory.json has no static sandbox example (its sandbox is dynamic): this response is written
// to the model and checked against it below.
const response = {
  payload: {
    granularity: { granularityType: "Marketplace", granularityId: US },
    inventorySummaries: [
      {
        asin: "B0EXAMPLE1",
        fnSku: "X00EXAMPLE",
        sellerSku: "SKU-1",
        condition: "NewItem",
        inventoryDetails: {
          fulfillableQuantity: 40,
          inboundWorkingQuantity: 5,
          inboundShippedQuantity: 6,
          inboundReceivingQuantity: 7,
          reservedQuantity: { totalReservedQuantity: 4, pendingCustomerOrderQuantity: 3, pendingTransshipmentQuantity: 1, fcProcessingQuantity: 0 },
          researchingQuantity: {
            totalResearchingQuantity: 2,
            researchingQuantityBreakdown: [{ name: "researchingQuantityInShortTerm", quantity: 2 }],
          },
          unfulfillableQuantity: {
            totalUnfulfillableQuantity: 3,
            customerDamagedQuantity: 1,
            warehouseDamagedQuantity: 2,
            distributorDamagedQuantity: 0,
            carrierDamagedQuantity: 0,
            defectiveQuantity: 0,
            expiredQuantity: 0,
          },
        },
        lastUpdatedTime: "2025-03-01T08:30:00-08:00",
        productName: "Example",
        totalQuantity: 67,
      },
      { asin: "B0EXAMPLE2", fnSku: "X00EXAMPL2", sellerSku: "SKU-2", condition: "NewItem", productName: "No details", totalQuantity: 0 },
    ],
  },
  pagination: { nextToken: "seed" },
};

describe.runIf(MODELS_REQUIRED)("inventory summaries under CI", () => {
  it("finds Amazon's OpenAPI models", () => expect(MODELS_AVAILABLE).toBe(true));
});

describe("inventory summaries", () => {
  it.skipIf(!MODELS_AVAILABLE)("the example response follows Amazon's model", () => {
    expect(validateResponse("getInventorySummaries", 200, response, { noUndeclaredProperties: true })).toEqual([]);
  });

  it("maps one row per SKU with the breakdowns flattened", () => {
    const summaries = getInventorySummariesResponseSchema.parse(response).payload.inventorySummaries;
    const { rows, rejected, nextLine } = inventorySummaryRows(summaries, US, 1);
    expect(rejected).toEqual([]);
    expect(nextLine).toBe(3);
    expect(rows[0]).toEqual({
      line: 1,
      data: {
        marketplaceId: US,
        sellerSku: "SKU-1",
        fnsku: "X00EXAMPLE",
        asin: "B0EXAMPLE1",
        condition: "NewItem",
        totalQuantity: 67,
        fulfillableQuantity: 40,
        inboundWorkingQuantity: 5,
        inboundShippedQuantity: 6,
        inboundReceivingQuantity: 7,
        reservedQuantity: 4,
        researchingQuantity: 2,
        unfulfillableQuantity: 3,
        warehouseDamagedQuantity: 2,
        lastUpdatedTime: "2025-03-01T16:30:00.000Z",
      },
      raw: summaries[0],
    });
    // Without details the breakdown is null, not zero.
    expect(rows[1]!.data).toMatchObject({ sellerSku: "SKU-2", totalQuantity: 0, fulfillableQuantity: null, reservedQuantity: null, warehouseDamagedQuantity: null, lastUpdatedTime: null });
  });

  it("reads the empty lastUpdatedTime Amazon sends for never-updated SKUs as null", () => {
    const [row] = inventorySummaryRows([{ sellerSku: "S", lastUpdatedTime: "" }], US, 1).rows;
    expect(row!.data.lastUpdatedTime).toBeNull();
  });

  it("continues lines from the running offset across pages", () => {
    const summaries = response.payload.inventorySummaries as InventorySummary[];
    const first = inventorySummaryRows(summaries, US, 1);
    const second = inventorySummaryRows(summaries, US, first.nextLine);
    expect(second.rows.map((r) => r.line)).toEqual([3, 4]);
  });

  it("rejects summaries without a SKU or with wrong types, with their lines, without throwing", () => {
    const summaries = [
      { fnSku: "X1", totalQuantity: 1 },
      { sellerSku: "S2", totalQuantity: "many" },
      { sellerSku: "S3", inventoryDetails: { unfulfillableQuantity: 5 } },
      { sellerSku: "S4", lastUpdatedTime: "yesterday" },
      { sellerSku: "S5", totalQuantity: 5 },
    ] as unknown as InventorySummary[];
    const { rows, rejected } = inventorySummaryRows(summaries, US, 10);
    expect(rows.map((r) => [r.line, r.data.sellerSku, r.data.totalQuantity])).toEqual([[14, "S5", 5]]);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [10, expect.stringMatching(/sellerSku/)],
      [11, expect.stringMatching(/totalQuantity/)],
      [12, expect.stringMatching(/unfulfillableQuantity/)],
      [13, expect.stringMatching(/lastUpdatedTime/)],
    ]);
  });
});
