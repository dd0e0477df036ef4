// Sellers API v1 payload: getMarketplaceParticipations (the marketplaces an authorized seller sells in).
import { z } from "zod";

export const marketplaceParticipationSchema = z.looseObject({
  marketplace: z.looseObject({
    id: z.string(),
    name: z.string().nullish(),
    countryCode: z.string().nullish(),
    defaultCurrencyCode: z.string().nullish(),
    defaultLanguageCode: z.string().nullish(),
    domainName: z.string().nullish(),
  }),
  storeName: z.string().nullish(),
  participation: z.looseObject({ isParticipating: z.boolean(), hasSuspendedListings: z.boolean().nullish() }),
});

export const getMarketplaceParticipationsResponseSchema = z.looseObject({
  payload: z.array(marketplaceParticipationSchema).default([]),
});

export type MarketplaceParticipation = z.infer<typeof marketplaceParticipationSchema>;
