// What a freshly granted token can show about the Amazon account behind it. Amazon's consent redirect
// names a selling_partner_id, but anyone holding the redirect can rewrite it, and neither LWA's token
// answer nor the Sellers API (sellers.json: getAccount, getMarketplaceParticipations) names the
// seller. getAccount does describe the account: its registered business and primary contact. Their
// fingerprint is the one identity evidence Connect Amazon has; see complete-amazon-consent.ts.
import { createHash } from "node:crypto";
import type { SellerAccount, SellerAddress } from "../amazon/models/sellers";

/** Unicode-normalised, trimmed, single-spaced, lower case: the same account always reads the same. */
function norm(value: string | null | undefined): string {
  return (value ?? "").normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

function address(a: SellerAddress) {
  return [a.addressLine1, a.addressLine2, a.city, a.stateOrProvinceCode, a.postalCode, a.countryCode].map(norm);
}

/**
 * A SHA-256 fingerprint of the account's registered business and primary contact (names, addresses,
 * registration and tax numbers), or null when getAccount shows neither: the remaining fields (business
 * type, selling plan, marketplaces) are shared by countless sellers and cannot tell two apart. Store
 * names and the selling plan are left out on purpose: they change more often than a business address.
 */
export function accountFingerprint(account: SellerAccount): string | null {
  const { business, primaryContact } = account;
  if (!business && !primaryContact) return null;
  const canonical = JSON.stringify([
    "seller-account/v1",
    business
      ? [
          norm(business.name),
          norm(business.nonLatinName),
          address(business.registeredBusinessAddress),
          norm(business.companyRegistrationNumber),
          norm(business.companyTaxIdentificationNumber),
        ]
      : null,
    primaryContact ? [norm(primaryContact.name), norm(primaryContact.nonLatinName), address(primaryContact.address)] : null,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
