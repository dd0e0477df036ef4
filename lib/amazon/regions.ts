// SP-API regions: default SP-API host, LWA token endpoint, Seller Central consent host and marketplaces
// (sp-api.md §0 and §a). Every value here is only a default; config can override each one.
export const REGIONS = ["NA", "EU", "FE"] as const;
export type Region = (typeof REGIONS)[number];

export interface Marketplace {
  id: string;
  countryCode: string;
  /** Seller Central host a seller of this marketplace signs in to (consent page host). */
  sellerCentralHost: string;
}

export interface RegionDefaults {
  spApiEndpoint: string;
  sandboxSpApiEndpoint: string;
  awsRegion: string;
  lwaEndpoint: string;
  /** Default consent page (the region's main Seller Central host). */
  consentUrl: string;
  marketplaces: readonly Marketplace[];
}

const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";
const consent = (host: string) => `https://${host}/apps/authorize/consent`;

const m = (id: string, countryCode: string, sellerCentralHost: string): Marketplace => ({ id, countryCode, sellerCentralHost });

export const REGION_DEFAULTS: Readonly<Record<Region, RegionDefaults>> = {
  NA: {
    spApiEndpoint: "https://sellingpartnerapi-na.amazon.com",
    sandboxSpApiEndpoint: "https://sandbox.sellingpartnerapi-na.amazon.com",
    awsRegion: "us-east-1",
    lwaEndpoint: LWA_TOKEN_URL,
    consentUrl: consent("sellercentral.amazon.com"),
    marketplaces: [
      m("ATVPDKIKX0DER", "US", "sellercentral.amazon.com"),
      m("A2EUQ1WTGCTBG2", "CA", "sellercentral.amazon.ca"),
      m("A1AM78C64UM0Y8", "MX", "sellercentral.amazon.com.mx"),
      m("A2Q3Y263D00KWC", "BR", "sellercentral.amazon.com.br"),
    ],
  },
  EU: {
    spApiEndpoint: "https://sellingpartnerapi-eu.amazon.com",
    sandboxSpApiEndpoint: "https://sandbox.sellingpartnerapi-eu.amazon.com",
    awsRegion: "eu-west-1",
    lwaEndpoint: LWA_TOKEN_URL,
    consentUrl: consent("sellercentral-europe.amazon.com"),
    marketplaces: [
      m("A1F83G8C2ARO7P", "GB", "sellercentral.amazon.co.uk"),
      m("A1PA6795UKMFR9", "DE", "sellercentral.amazon.de"),
      m("A13V1IB3VIYZZH", "FR", "sellercentral.amazon.fr"),
      m("APJ6JRA9NG5V4", "IT", "sellercentral.amazon.it"),
      m("A1RKKUPIHCS9HS", "ES", "sellercentral.amazon.es"),
      m("A1805IZSGTT6HS", "NL", "sellercentral.amazon.nl"),
      m("A2NODRKZP88ZB9", "SE", "sellercentral.amazon.se"),
      m("A1C3SOZRARQ6R3", "PL", "sellercentral.amazon.pl"),
      m("AMEN7PMS3EDWL", "BE", "sellercentral.amazon.com.be"),
      m("A28R8C7NBKEWEA", "IE", "sellercentral.amazon.ie"),
      m("A33AVAJ2PDY3EV", "TR", "sellercentral.amazon.com.tr"),
      m("A2VIGQ35RCS4UG", "AE", "sellercentral.amazon.ae"),
      m("A17E79C6D8DWNP", "SA", "sellercentral.amazon.sa"),
      m("ARBP9OOSHTCHU", "EG", "sellercentral.amazon.eg"),
      m("A21TJRUUN4KGV", "IN", "sellercentral.amazon.in"),
    ],
  },
  FE: {
    spApiEndpoint: "https://sellingpartnerapi-fe.amazon.com",
    sandboxSpApiEndpoint: "https://sandbox.sellingpartnerapi-fe.amazon.com",
    awsRegion: "us-west-2",
    lwaEndpoint: LWA_TOKEN_URL,
    consentUrl: consent("sellercentral.amazon.co.jp"),
    marketplaces: [
      m("A1VC38T7YXB528", "JP", "sellercentral.amazon.co.jp"),
      m("A39IBJ37TRP1C6", "AU", "sellercentral.amazon.com.au"),
      m("A19VAU5U5O7RUS", "SG", "sellercentral.amazon.sg"),
    ],
  },
};

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

export function regionOfMarketplace(marketplaceId: string): Region | undefined {
  return REGIONS.find((r) => REGION_DEFAULTS[r].marketplaces.some((mk) => mk.id === marketplaceId));
}

export function marketplaceIdsOf(region: Region): string[] {
  return REGION_DEFAULTS[region].marketplaces.map((mk) => mk.id);
}

export interface ConsentUrlInput {
  /** Consent page URL, e.g. REGION_DEFAULTS.NA.consentUrl or the sandbox's consentUrl. */
  consentUrl: string;
  applicationId: string;
  state: string;
  redirectUri?: string;
  /** Only while the app is in Draft (sp-api.md §a.1). */
  beta?: boolean;
}

/** The URL to send a seller to for the website authorization workflow. */
export function buildConsentUrl(input: ConsentUrlInput): string {
  const url = new URL(input.consentUrl);
  url.searchParams.set("application_id", input.applicationId);
  url.searchParams.set("state", input.state);
  if (input.redirectUri) url.searchParams.set("redirect_uri", input.redirectUri);
  if (input.beta) url.searchParams.set("version", "beta");
  return url.toString();
}
