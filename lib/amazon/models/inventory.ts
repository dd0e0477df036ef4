// FBA Inventory API v1 payloads (fbaInventory.json): getInventorySummaries.
import { z } from "zod";
import { dateTimeString } from "./common";

const int = z.number().int().nullish();

export const inventoryDetailsSchema = z.looseObject({
  fulfillableQuantity: int,
  inboundWorkingQuantity: int,
  inboundShippedQuantity: int,
  inboundReceivingQuantity: int,
  reservedQuantity: z
    .looseObject({ totalReservedQuantity: int, pendingCustomerOrderQuantity: int, pendingTransshipmentQuantity: int, fcProcessingQuantity: int })
    .nullish(),
  researchingQuantity: z
    .looseObject({
      totalResearchingQuantity: int,
      researchingQuantityBreakdown: z.array(z.looseObject({ name: z.string(), quantity: z.number().int() })).nullish(),
    })
    .nullish(),
  unfulfillableQuantity: z
    .looseObject({
      totalUnfulfillableQuantity: int,
      customerDamagedQuantity: int,
      warehouseDamagedQuantity: int,
      distributorDamagedQuantity: int,
      carrierDamagedQuantity: int,
      defectiveQuantity: int,
      expiredQuantity: int,
    })
    .nullish(),
});

export const inventorySummarySchema = z.looseObject({
  asin: z.string().nullish(),
  fnSku: z.string().nullish(),
  sellerSku: z.string().nullish(),
  condition: z.string().nullish(),
  inventoryDetails: inventoryDetailsSchema.nullish(),
  lastUpdatedTime: z.union([dateTimeString, z.literal("")]).nullish(),
  productName: z.string().nullish(),
  totalQuantity: int,
  stores: z.array(z.string()).nullish(),
});
export type InventorySummary = z.infer<typeof inventorySummarySchema>;

export const getInventorySummariesResponseSchema = z.looseObject({
  payload: z.looseObject({
    granularity: z.looseObject({ granularityType: z.string().nullish(), granularityId: z.string().nullish() }),
    inventorySummaries: z.array(inventorySummarySchema),
  }),
  pagination: z.looseObject({ nextToken: z.string().nullish() }).nullish(),
});
export type GetInventorySummariesResponse = z.infer<typeof getInventorySummariesResponseSchema>;

export interface GetInventorySummariesParams {
  /** One marketplace: it is both granularityId and marketplaceIds. */
  marketplaceId: string;
  details?: boolean;
  startDateTime?: string;
  sellerSkus?: string[];
  nextToken?: string;
}
