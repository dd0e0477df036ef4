// The shapes the rule catalogue shares: a rule, the context it runs in, the candidate rows its SQL
// returns, and the findings the runner makes of them (lib/detection/README.md).
import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";

/** Sync sources (lib/sync/plan.ts ids) a rule reads; a rule runs only when all of them are in. */
export type LedgerSource =
  | "ledger-detail"
  | "ledger-summary"
  | "reimbursements"
  | "customer-returns"
  | "financial-events"
  | "removal-orders"
  | "removal-shipments"
  | "inbound-shipments"
  | "all-orders"
  | "customer-shipments"
  | "replacements"
  | "fee-preview"
  | "settlements";

/** The claim window families of ClaimWindowPolicy (detection.md §1). */
export type ClaimFamily =
  | "fc-lost"
  | "fc-damaged"
  | "customer-return"
  | "removal-lost"
  | "removal-delivered"
  | "inbound-shortage"
  | "fee-dimensions"
  | "fee-referral"
  | "reimbursement-revaluation"
  | "reimbursement-reversal"
  | "unused-label"
  | "approved-not-paid";

export type DetectionMode = "full" | "incremental";

/** The keys an incremental run rechecks: those touched by rows synced since its `since`. */
export interface Scope {
  fnskus: string[];
  skus: string[];
  orderIds: string[];
  shipmentIds: string[];
  removalOrderIds: string[];
  reimbursementIds: string[];
}

export type ScopeDimension = keyof Scope;

export interface RuleContext {
  db: Db;
  sellerConnectionId: string;
  /** The run's clock: every "days since", maturity and window is judged against it. */
  now: Date;
  /** `now` as a UTC calendar day, YYYY-MM-DD. */
  today: string;
  mode: DetectionMode;
  /** null: every key (a full run). */
  scope: Scope | null;
  /** The seller's first marketplace: the window policy for rows that carry no country. */
  defaultMarketplaceId: string;
  defaultCurrency: string;
  /** Sources with data for this seller, and those whose last pull was not healthy. */
  sources: ReadonlySet<string>;
  degradedSources: ReadonlySet<string>;
}

/** The identifiers a finding or a set-aside carries (all optional, by rule). */
export interface Identifiers {
  sku: string | null;
  fnsku: string | null;
  asin: string | null;
  orderId: string | null;
  shipmentId: string | null;
  referenceId: string | null;
  reimbursementId: string | null;
  removalOrderId: string | null;
}

/** One ledger row a finding rests on, as the evidence lists it. */
export interface EvidenceRow {
  /** The ledger table (Prisma model) and the row's id in it. */
  table: string;
  id: string;
  /** What the row is to the finding: loss, found, reimbursement, receipt, refund, return, ... */
  role: string;
  /** The report or API call it came from (sourceReport) and its line. */
  source: string | null;
  line: number | null;
  date: string | null;
  referenceId?: string | null;
  quantity?: number | null;
  amountMinor?: number | null;
  note?: string | null;
}

export interface SetAsideReason {
  /** reimbursed | found | found-sibling | explained | reconciled-by-amazon | too-early | not-amazon-fault | ... */
  code: string;
  /** What the seller reads: "Amazon reimbursed it 5 days after the loss: reimbursement 1234". */
  reason: string;
  /** The reimbursement that covers it, when one does (closes an earlier finding as resolved). */
  reimbursementId?: string | null;
  /** too-early: the day the rule looks again. */
  recheckAt?: string | null;
}

/** A row of a rule's candidate query: a finding, or (setAside set) a candidate it set aside. */
export interface CandidateRow extends Identifiers {
  fingerprint: string;
  /** Units open (for a set-aside: the units it looked at). */
  units: number;
  /** When the loss happened and when the window's clock starts, YYYY-MM-DD. */
  eventDate: string;
  anchorDate: string;
  /** The marketplace of the row (from the ledger's country); null: the seller's default. */
  marketplaceId: string | null;
  setAside: SetAsideReason | null;
  /** The rule's numbers for this candidate (lost, found, reimbursed, shipped, received, ...). */
  facts: Record<string, unknown>;
  evidence: EvidenceRow[];
}

/** A unit value and where it came from (detection.md §3). */
export interface Valuation {
  unitMinor: number;
  totalMinor: number;
  currency: string;
  /** seller-cost | reimbursement-median | sale-price-40pct | net-proceeds | sale-price-minus-fees | ... */
  basis: string;
  /** A fallback estimate (lowers confidence x0.85). */
  fallback: boolean;
  /** The figures behind it, for the evidence. */
  detail: Record<string, unknown>;
}

export interface ConfidenceReason {
  code: string;
  text: string;
  factor: number;
}

export interface Confidence {
  value: number;
  reasons: ConfidenceReason[];
}

interface RuleBase {
  /** detection.md's id and slug: "R03", "inbound-shortage". */
  id: string;
  slug: string;
  /** What a seller reads. */
  title: string;
  explanation: string;
}

export interface SupportedRule extends RuleBase {
  supported: true;
  claimFamily: ClaimFamily;
  requires: readonly LedgerSource[];
  /**
   * The identifiers the rule's incremental filter keys on (inScope over its base rows): an incremental
   * run replaces the rule's set-asides whose these identifiers are in scope, and only those.
   */
  scopeDimensions: readonly ScopeDimension[];
  /** Candidates whose window has not opened are set aside ("window opens in 12 days"), not findings. */
  holdUntilWindowOpens?: boolean;
  /** The set-based query: every candidate (open or set aside) of the seller in scope. */
  candidates(ctx: RuleContext): Promise<CandidateRow[]>;
  /** The value of each open candidate, by fingerprint. */
  value(ctx: RuleContext, rows: CandidateRow[]): Promise<Map<string, Valuation>>;
  confidence(ctx: RuleContext, row: CandidateRow, valuation: Valuation): Confidence;
  /** The sentence the finding leads with. */
  summary(row: CandidateRow, valuation: Valuation): string;
  /** Force a severity (info findings, e.g. R02's already-unsellable units). */
  severity?(row: CandidateRow): Severity | undefined;
}

export interface UnsupportedRule extends RuleBase {
  supported: false;
  /** "data": the synced data cannot support it yet; "pending": the data can, the rule is not built yet. */
  blockedBy: "data" | "pending";
  /** Why it does not run, and what would make it run. */
  why: string;
  needs: readonly string[];
}

export type Rule = SupportedRule | UnsupportedRule;

export type Severity = "high" | "medium" | "low" | "info";

/** A finding as the runner hands it to the upsert. */
export interface Finding extends Identifiers {
  ruleId: string;
  ruleSlug: string;
  fingerprint: string;
  summary: string;
  units: number;
  valuation: Valuation;
  confidence: Confidence;
  severity: Severity;
  claimFamily: ClaimFamily;
  marketplaceId: string;
  anchorDate: string;
  eventDate: string;
  opensAt: string;
  deadline: string | null;
  windowPolicyId: string | null;
  windowVerify: boolean;
  evidence: Prisma.InputJsonValue;
}

export interface SetAside extends Identifiers {
  ruleId: string;
  ruleSlug: string;
  fingerprint: string;
  reasonCode: string;
  reason: string;
  /** The reimbursement that paid the loss: closes an earlier finding of the same fingerprint as resolved. */
  paidByReimbursementId: string | null;
  units: number;
  eventDate: string | null;
  recheckAt: string | null;
  details: Prisma.InputJsonValue;
}
