// The claims pages' view of the detection, evidence, document and unit-cost APIs (the contract in
// docs/claims-pages.md): the shapes the routes answer as the pages read them, the calls (through the
// app's one browser fetch, lib/client/api.ts) and the TanStack Query keys.
import { ApiRequestError, apiFetch } from "@/lib/client/api";
// The answers' shapes are the server's own (type-only imports: no server code reaches the browser),
// narrowed where the pages switch on a closed set.
import type { ConfidenceReasonItem, DetectionItem as ServerDetectionItem, HistoryEntry } from "@/lib/detection/api/views";
import type { SetAsideView } from "@/lib/detection/queries";
import type { EvidenceRow } from "@/lib/detection/types";
import type { SellerDocumentItem } from "@/lib/documents/documents";

export type { EvidenceRow, HistoryEntry, SellerDocumentItem };
export type ConfidenceReason = ConfidenceReasonItem;
export type SetAside = SetAsideView;

export { ApiRequestError };

export type ClaimStatus = "pending" | "reviewed" | "filed" | "disputed" | "resolved" | "dismissed" | "waiting" | "expired";
export type StoredStatus = Exclude<ClaimStatus, "waiting" | "expired">;
export type Severity = "high" | "medium" | "low" | "info";

export type DetectionItem = Omit<ServerDetectionItem, "severity" | "storedStatus" | "status"> & { severity: Severity; storedStatus: StoredStatus; status: ClaimStatus };




export interface DetectionEvidence {
  rows?: EvidenceRow[];
  facts?: Record<string, unknown>;
  valuation?: { basis?: string; unitMinor?: number; units?: number; totalMinor?: number; currency?: string; detail?: Record<string, unknown> };
  window?: { policyId?: string | null; anchor?: string; anchorDate?: string; opensAt?: string; deadline?: string | null; verify?: boolean; note?: string | null };
}



export interface DetectionDetail extends DetectionItem {
  explanation: string;
  claimFamily: string;
  marketplaceId: string;
  evidence: DetectionEvidence | null;
  history: HistoryEntry[];
  setAsides: SetAside[];
}

export interface ResultsPage {
  items: DetectionItem[];
  total: number;
  limit: number;
  offset: number;
}


export interface ClaimDocuments {
  required: string[];
  documents: SellerDocumentItem[];
  missing: string[];
}

export interface UnitCostItem {
  id: string;
  sku: string;
  unitCost: number;
  unitCostMinor: number;
  currency: string;
  hasInvoice: boolean;
  source: string;
  updatedAt: string;
  sellerConnectionId?: string;
}

export interface MissingCost {
  sku: string;
  fnsku: string | null;
  asin: string | null;
  openFindings: number;
  valueAtFallback: number;
  /** Beyond the contract; used when the route sends them. */
  currency?: string;
  sellerConnectionId?: string;
}

export interface ImportReport {
  imported: number;
  updated: number;
  rejected: { line: number; sku: string | null; reason: string }[];
}

/** A download's answer that is not 2xx as the same error apiFetch throws, with the route's message. */
export async function ensureOk(response: Response): Promise<Response> {
  if (response.ok) return response;
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const message = body?.error?.message?.trim() || (response.status === 404 ? "Not found." : response.status === 413 ? "That file is too large." : response.status === 415 ? "That file type is not accepted." : response.status >= 500 ? "Something went wrong on our side. Try again in a minute." : `The request failed (${response.status}).`);
  throw new ApiRequestError(message, response.status, body?.error?.code, body);
}

export const fetchJson = <T>(url: string, init?: RequestInit): Promise<T> => apiFetch<T>(url, init);

export const sendJson = <T>(url: string, method: "PUT" | "PATCH" | "POST" | "DELETE", body?: unknown): Promise<T> =>
  apiFetch<T>(url, { method, ...(body === undefined ? {} : { json: body }) });

export const claimKeys = {
  all: ["claims"] as const,
  results: (query: string) => ["claims", "results", query] as const,
  detail: (id: string) => ["claims", "detail", id] as const,
  caseText: (id: string) => ["claims", "case-text", id] as const,
  documents: (id: string) => ["claims", "documents", id] as const,
  setAsides: (sku: string) => ["claims", "set-asides", sku] as const,
  costs: (query: string) => ["unit-costs", "list", query] as const,
  missingCosts: ["unit-costs", "missing"] as const,
};
