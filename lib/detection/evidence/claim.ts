// One claim as the evidence pack shows it: the stored detection (its identifiers, value, window and
// the evidence JSON the rule wrote: rows, facts, valuation, window), the rule's title and explanation
// from the catalogue, the status a reader sees today, and the seller documents it needs and cites.
import type { Detection } from "../../generated/prisma/client";
import { db } from "../../db";
import { listDocuments, type StoredDocument } from "../../documents/documents";
import { claimDocuments, type ClaimDocuments, type ClaimKeys } from "../../documents/requirements";
import { ruleById } from "../rules/index";
import type { EvidenceRow, Identifiers } from "../types";
import { derivedStatus, fileBy, isoDay, type DerivedStatus } from "../windows";

/** Detection.evidence as lib/detection/run-detection.ts stores it. */
export interface StoredEvidence {
  rows: EvidenceRow[];
  facts: Record<string, unknown>;
  valuation: { basis?: string; unitMinor?: number; units?: number; totalMinor?: number; currency?: string; detail?: Record<string, unknown> } | null;
  window: { policyId?: string; anchor?: string; anchorDate?: string; opensAt?: string; deadline?: string | null; verify?: boolean; note?: string } | null;
}

export interface Claim extends Identifiers {
  id: string;
  sellerConnectionId: string;
  ruleId: string;
  ruleSlug: string;
  title: string;
  explanation: string;
  summary: string;
  claimFamily: string;
  marketplaceId: string;
  units: number;
  estimatedValueMinor: number;
  unitValueMinor: number;
  currency: string;
  valueBasis: string;
  confidence: number;
  severity: string;
  status: DerivedStatus;
  storedStatus: string;
  eventDate: string;
  anchorDate: string;
  opensAt: string;
  deadline: string | null;
  fileBy: string | null;
  windowVerify: boolean;
  evidence: StoredEvidence;
  documents: ClaimDocuments;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function storedEvidence(value: unknown): StoredEvidence {
  const e = asObject(value) ?? {};
  return {
    rows: Array.isArray(e.rows) ? (e.rows as EvidenceRow[]) : [],
    facts: asObject(e.facts) ?? {},
    valuation: asObject(e.valuation) as StoredEvidence["valuation"],
    window: asObject(e.window) as StoredEvidence["window"],
  };
}

export function claimKeys(d: Pick<Detection, "ruleId" | "sellerConnectionId" | "sku" | "shipmentId" | "removalOrderId" | "evidence">): ClaimKeys {
  return {
    ruleId: d.ruleId,
    sellerConnectionId: d.sellerConnectionId,
    sku: d.sku,
    shipmentId: d.shipmentId,
    removalOrderId: d.removalOrderId,
    facts: storedEvidence(d.evidence).facts,
  };
}

/** The claim of a stored detection, with the seller's documents (those of its connection) to cite from. */
export function toClaim(d: Detection, docs: readonly StoredDocument[], now: Date): Claim {
  const rule = ruleById(d.ruleId);
  const opensAt = isoDay(d.opensAt);
  const deadline = d.deadline ? isoDay(d.deadline) : null;
  return {
    id: d.id,
    sellerConnectionId: d.sellerConnectionId,
    ruleId: d.ruleId,
    ruleSlug: d.ruleSlug,
    title: rule?.title ?? d.ruleSlug,
    explanation: rule?.explanation ?? "",
    summary: d.summary,
    claimFamily: d.claimFamily,
    marketplaceId: d.marketplaceId,
    sku: d.sku,
    fnsku: d.fnsku,
    asin: d.asin,
    orderId: d.orderId,
    shipmentId: d.shipmentId,
    referenceId: d.referenceId,
    reimbursementId: d.reimbursementId,
    removalOrderId: d.removalOrderId,
    units: d.units,
    estimatedValueMinor: Number(d.estimatedValueMinor),
    unitValueMinor: Number(d.unitValueMinor),
    currency: d.currency,
    valueBasis: d.valueBasis,
    confidence: d.confidence,
    severity: d.severity,
    status: derivedStatus(d.status, d.opensAt, d.deadline, now),
    storedStatus: d.status,
    eventDate: isoDay(d.eventDate),
    anchorDate: isoDay(d.anchorDate),
    opensAt,
    deadline,
    fileBy: fileBy(opensAt, deadline),
    windowVerify: d.windowVerify,
    evidence: storedEvidence(d.evidence),
    documents: claimDocuments(claimKeys(d), docs),
  };
}

/** The claim of one detection (already checked to be the caller's by detectionResource). */
export async function loadClaim(detectionId: string, now: Date): Promise<Claim> {
  const d = await db.detection.findUniqueOrThrow({ where: { id: detectionId } });
  const docs = await listDocuments([d.sellerConnectionId]);
  return toClaim(d, docs, now);
}
