// Sellers API v1 payloads (sellers.json): getMarketplaceParticipations (the marketplaces an authorized
// seller sells in) and getAccount (the seller's account: business, primary contact, marketplaces).
// Neither response contains the selling partner id: Amazon's model has none.
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

/** `Address`: addressLine1 and countryCode are required, the rest optional. */
export const sellerAddressSchema = z.looseObject({
  addressLine1: z.string(),
  addressLine2: z.string().nullish(),
  countryCode: z.string(),
  stateOrProvinceCode: z.string().nullish(),
  city: z.string().nullish(),
  postalCode: z.string().nullish(),
});

/** `Account`. The enums (businessType, sellingPlan) are kept as strings: Amazon adds values. */
export const sellerAccountSchema = z.looseObject({
  marketplaceParticipationList: z.array(marketplaceParticipationSchema).default([]),
  businessType: z.string(),
  sellingPlan: z.string(),
  business: z
    .looseObject({
      name: z.string(),
      registeredBusinessAddress: sellerAddressSchema,
      companyRegistrationNumber: z.string().nullish(),
      companyTaxIdentificationNumber: z.string().nullish(),
      nonLatinName: z.string().nullish(),
    })
    .nullish(),
  primaryContact: z
    .looseObject({
      name: z.string(),
      address: sellerAddressSchema,
      nonLatinName: z.string().nullish(),
    })
    .nullish(),
});

export const getAccountResponseSchema = z.looseObject({ payload: sellerAccountSchema });

export type SellerAccount = z.infer<typeof sellerAccountSchema>;
export type SellerAddress = z.infer<typeof sellerAddressSchema>;
