// R18 reimbursement-approved-not-paid (detection.md §4, a follow-up, not a claim): a case Amazon
// approved with no reimbursement row carrying its case id after 5 business days. Not supported yet: it
// needs the cases the seller filed and their approvals (our case tracker, or the seller marking a case
// approved), which do not exist yet. Its window row (approved-not-paid: approval + 7 days, no deadline)
// is seeded.
import type { UnsupportedRule } from "../types";

export const r18ReimbursementApprovedNotPaid: UnsupportedRule = {
  id: "R18",
  slug: "reimbursement-approved-not-paid",
  title: "Approved reimbursement not paid",
  explanation: "Amazon approved one of your cases but no reimbursement for it has arrived within five business days.",
  supported: false,
  blockedBy: "data",
  why: "Needs filed cases and their approvals (a case tracker); none are recorded yet",
  needs: ["filed cases with case id and approval"],
};
