// Sellers API v1: getMarketplaceParticipations and getAccount, both about the seller of the access token
// (the pipeline resolves it; neither operation takes a seller parameter). Apps call them right after
// authorization, since Amazon's consent redirect names no marketplaces and its selling_partner_id can be
// forged. As in Amazon's model (sellers.json), neither response contains the selling partner id.
import type { World } from "../generator/world";
import { Rng } from "../prng";
import type { ApiHandler } from "./context";

const MARKETPLACES: Record<string, { countryCode: string; name: string; defaultCurrencyCode: string; defaultLanguageCode: string; domainName: string }> = {
  ATVPDKIKX0DER: { countryCode: "US", name: "Amazon.com", defaultCurrencyCode: "USD", defaultLanguageCode: "en_US", domainName: "www.amazon.com" },
};

function participations(w: World) {
  const seller = w.seller;
  return seller.marketplaceIds.map((id) => ({
    marketplace: { id, ...(MARKETPLACES[id] ?? { countryCode: "", name: id, defaultCurrencyCode: "", defaultLanguageCode: "", domainName: "" }) },
    storeName: seller.name,
    participation: { isParticipating: true, hasSuspendedListings: false },
  }));
}

const CITIES: Array<{ city: string; state: string; zip: string }> = [
  { city: "Seattle", state: "WA", zip: "981" },
  { city: "Portland", state: "OR", zip: "972" },
  { city: "Denver", state: "CO", zip: "802" },
  { city: "Austin", state: "TX", zip: "787" },
  { city: "Columbus", state: "OH", zip: "432" },
  { city: "Raleigh", state: "NC", zip: "276" },
  { city: "Madison", state: "WI", zip: "537" },
  { city: "Tampa", state: "FL", zip: "336" },
];
const STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Commerce Blvd", "Harbor Way", "Pine St", "Industrial Pkwy"];
const FIRST = ["Maria", "James", "Aisha", "Daniel", "Mei", "Robert", "Sofia", "Kwame"];
const LAST = ["Garcia", "Miller", "Okafor", "Nguyen", "Schmidt", "Johnson", "Rossi", "Patel"];

function address(rng: Rng) {
  const place = rng.pick(CITIES);
  return {
    addressLine1: `${rng.int(100, 9899)} ${rng.pick(STREETS)}`,
    city: place.city,
    stateOrProvinceCode: place.state,
    postalCode: `${place.zip}${String(rng.int(0, 99)).padStart(2, "0")}`,
    countryCode: "US",
  };
}

/**
 * The seller's account as getAccount shows it: an FBA seller on the Professional plan, run as an LLC,
 * deterministic per seller (its own PRNG stream, so the rest of the world is unchanged). Optional model
 * fields (registration and tax numbers, non-Latin names) are left out, as Amazon may.
 */
export function sellerAccount(w: World) {
  const rng = new Rng(w.key, "account");
  const business = { name: `${w.seller.name} LLC`, registeredBusinessAddress: address(rng) };
  const primaryContact = { name: `${rng.pick(FIRST)} ${rng.pick(LAST)}`, address: address(rng) };
  return { marketplaceParticipationList: participations(w), businessType: "PRIVATE_LIMITED", sellingPlan: "PROFESSIONAL", business, primaryContact };
}

export const getMarketplaceParticipations: ApiHandler = async (ctx) => ({ status: 200, body: { payload: participations(ctx.seller.world) } });

export const getAccount: ApiHandler = async (ctx) => ({ status: 200, body: { payload: sellerAccount(ctx.seller.world) } });
