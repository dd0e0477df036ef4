// Marketplaces as the window policy sees them: a ledger row's country → Amazon's marketplace id, and
// the policy groups ("EU", "AE") a marketplace belongs to (ClaimWindowPolicy, detection.md §0-§1).

/** Ledger `Country` (ISO 3166 alpha-2; the UK also appears as "UK") → marketplace id. */
const BY_COUNTRY: Record<string, string> = {
  US: "ATVPDKIKX0DER",
  CA: "A2EUQ1WTGCTBG2",
  MX: "A1AM78C64UM0Y8",
  BR: "A2Q3Y263D00KWC",
  GB: "A1F83G8C2ARO7P",
  UK: "A1F83G8C2ARO7P",
  DE: "A1PA6795UKMFR9",
  FR: "A13V1IB3VIYZZH",
  IT: "APJ6JRA9NG5V4",
  ES: "A1RKKUPIHCS9HS",
  NL: "A1805IZSGTT6HS",
  SE: "A2NODRKZP88ZB9",
  PL: "A1C3SOZRARQ6R3",
  BE: "AMEN7PMS3EDWL",
  IE: "A28R8C7NBKEWEA",
  TR: "A33AVAJ2PDY3EV",
  AE: "A2VIGQ35RCS4UG",
  SA: "A17E79C6D8DWNP",
  EG: "ARBP9OOSHTCHU",
  IN: "A21TJRUUN4KGV",
  JP: "A1VC38T7YXB528",
  AU: "A39IBJ37TRP1C6",
  SG: "A19VAU5U5O7RUS",
};

/** The UK and EU stores that took the 2025-01-09 windows [S5][S28][S29]. */
const EU = new Set(["A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS", "A1805IZSGTT6HS", "A2NODRKZP88ZB9", "A1C3SOZRARQ6R3", "AMEN7PMS3EDWL", "A28R8C7NBKEWEA"]);
/** The AE announcement of 2024-09-05 ("AE, similar non-US stores" [S6]): the Middle East stores. */
const AE = new Set(["A2VIGQ35RCS4UG", "A17E79C6D8DWNP", "ARBP9OOSHTCHU"]);

const CURRENCY: Record<string, string> = {
  ATVPDKIKX0DER: "USD",
  A2EUQ1WTGCTBG2: "CAD",
  A1AM78C64UM0Y8: "MXN",
  A2Q3Y263D00KWC: "BRL",
  A1F83G8C2ARO7P: "GBP",
  A2NODRKZP88ZB9: "SEK",
  A1C3SOZRARQ6R3: "PLN",
  A33AVAJ2PDY3EV: "TRY",
  A2VIGQ35RCS4UG: "AED",
  A17E79C6D8DWNP: "SAR",
  ARBP9OOSHTCHU: "EGP",
  A21TJRUUN4KGV: "INR",
  A1VC38T7YXB528: "JPY",
  A39IBJ37TRP1C6: "AUD",
  A19VAU5U5O7RUS: "SGD",
};

export const US_MARKETPLACE_ID = "ATVPDKIKX0DER";

export function marketplaceForCountry(country: string | null | undefined): string | null {
  if (!country) return null;
  return BY_COUNTRY[country.trim().toUpperCase()] ?? null;
}

/** The policy levels to look a window up at, most specific first: the id, its group, "*". */
export function policyLevels(marketplaceId: string): string[] {
  const levels = [marketplaceId];
  if (EU.has(marketplaceId)) levels.push("EU");
  if (AE.has(marketplaceId)) levels.push("AE");
  if (marketplaceId !== "*") levels.push("*");
  return levels;
}

export function currencyOfMarketplace(marketplaceId: string): string {
  return CURRENCY[marketplaceId] ?? (EU.has(marketplaceId) ? "EUR" : "USD");
}
