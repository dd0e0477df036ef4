// Sellers API v1 getMarketplaceParticipations: the marketplaces the authorized seller sells in. Apps
// call it right after authorization, since Amazon's consent redirect does not name marketplaces.
import type { ApiHandler } from "./context";

const MARKETPLACES: Record<string, { countryCode: string; name: string; defaultCurrencyCode: string; defaultLanguageCode: string; domainName: string }> = {
  ATVPDKIKX0DER: { countryCode: "US", name: "Amazon.com", defaultCurrencyCode: "USD", defaultLanguageCode: "en_US", domainName: "www.amazon.com" },
};

export const getMarketplaceParticipations: ApiHandler = async (ctx) => {
  const seller = ctx.seller.world.seller;
  const payload = seller.marketplaceIds.map((id) => ({
    marketplace: { id, ...(MARKETPLACES[id] ?? { countryCode: "", name: id, defaultCurrencyCode: "", defaultLanguageCode: "", domainName: "" }) },
    storeName: seller.name,
    participation: { isParticipating: true, hasSuspendedListings: false },
  }));
  return { status: 200, body: { payload } };
};
