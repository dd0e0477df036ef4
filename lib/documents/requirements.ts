// Which documents a claim needs and which of the seller's documents it cites. From detection.md:
// - inbound shortage (R03): carrier proof of delivery (POD/BOL) for the shipment and the supplier
//   invoice (or signed packing slip) for the units [S27]; without them confidence drops (x0.6) and
//   Amazon asks for them;
// - removal units shipped but missing from the shipment detail (R14 "not-in-shipments"): proof of what
//   was delivered (carrier POD / receipt with the count); units a removal order never accounted for at
//   all (R14 "unaccounted") never left Amazon, so no delivery document exists and none is asked;
// - a reimbursement paid below the unit cost (R08 check c): the invoice proving the cost [S12];
// - every other claim rests on Amazon's own reports: nothing required (a document of the SKU is still
//   cited and packed when there is one).
// A document is cited by a claim of the same seller connection when it names the claim's shipment or
// removal order; or when it names the claim's SKU and is an invoice (a SKU's invoice proves its cost
// whatever shipment it was uploaded with) or is attached to the SKU only. Proof of delivery counts only
// when it names the claim's shipment or removal order (a per-SKU delivery proof proves no delivery).
import type { StoredDocument } from "./documents";

export interface ClaimKeys {
  ruleId: string;
  sellerConnectionId: string;
  sku: string | null;
  shipmentId: string | null;
  removalOrderId: string | null;
  /** Detection.evidence.facts (R14's variant, R08's check). */
  facts: Record<string, unknown> | null;
}

export const KIND_LABELS: Record<string, string> = {
  invoice: "invoice (supplier invoice or signed packing slip)",
  "proof-of-delivery": "proof of delivery (carrier POD or bill of lading)",
  other: "other document",
};

/** The document kinds the claim needs, in the order the case form asks for them. */
export function requiredKinds(claim: ClaimKeys): string[] {
  switch (claim.ruleId) {
    case "R03":
      return ["proof-of-delivery", "invoice"];
    case "R14":
      return claim.facts?.variant === "not-in-shipments" ? ["proof-of-delivery"] : [];
    case "R08":
      return claim.facts?.check === "c" ? ["invoice"] : [];
    default:
      return [];
  }
}

function namesDelivery(claim: ClaimKeys, doc: StoredDocument): boolean {
  return (
    (doc.shipmentId !== null && doc.shipmentId === claim.shipmentId) || (doc.removalOrderId !== null && doc.removalOrderId === claim.removalOrderId)
  );
}

/** The seller's documents this claim cites (see the header), newest first as given. */
export function citedDocuments(claim: ClaimKeys, docs: readonly StoredDocument[]): StoredDocument[] {
  return docs.filter((doc) => {
    if (doc.sellerConnectionId !== claim.sellerConnectionId) return false;
    if (namesDelivery(claim, doc)) return true;
    if (doc.sku === null || doc.sku !== claim.sku) return false;
    return doc.kind === "invoice" || (doc.shipmentId === null && doc.removalOrderId === null);
  });
}

export interface ClaimDocuments {
  required: string[];
  documents: StoredDocument[];
  missing: string[];
}

export function claimDocuments(claim: ClaimKeys, docs: readonly StoredDocument[]): ClaimDocuments {
  const required = requiredKinds(claim);
  const documents = citedDocuments(claim, docs);
  const satisfies = (kind: string) =>
    documents.some((doc) => doc.kind === kind && (kind !== "proof-of-delivery" || namesDelivery(claim, doc)));
  return { required, documents, missing: required.filter((kind) => !satisfies(kind)) };
}

