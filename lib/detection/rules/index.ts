// The rule catalogue, in detection.md's order: one module per rule, ids and slugs as there. A rule the
// synced data cannot support yet, or that is not built yet, is listed with why (lib/detection/README.md).
import type { Rule, SupportedRule } from "../types";
import { r01FcLostUnreimbursed } from "./r01-fc-lost-unreimbursed";
import { r02FcDamagedUnreimbursed } from "./r02-fc-damaged-unreimbursed";
import { r03InboundShortage } from "./r03-inbound-shortage";
import { r04ReturnRefundedNotReturned } from "./r04-return-refunded-not-returned";
import { r05ReturnUnsellableAmazonFault } from "./r05-return-unsellable-amazon-fault";
import { r08ReimbursementUnderValue } from "./r08-reimbursement-under-value";
import { r11FeeSizeTierOvercharge } from "./r11-fee-size-tier-overcharge";
import { r13ReferralFeeError } from "./r13-referral-fee-error";
import { r14RemovalLostOrShort } from "./r14-removal-lost-or-short";
import { r15DisposalUnauthorized } from "./r15-disposal-unauthorized";
import { r16ReimbursementReversedUnsupported } from "./r16-reimbursement-reversed-unsupported";
import { r18ReimbursementApprovedNotPaid } from "./r18-reimbursement-approved-not-paid";
import { r07ReplacementNotReturned } from "./r07-replacement-not-returned";
import { r06ReturnNotRestocked } from "./r06-return-not-restocked";
import { r09RefundExceedsCharge } from "./r09-refund-exceeds-charge";
import { r10ReturnMisapplied } from "./r10-return-misapplied";
import { r12FeeDuplicateCharge } from "./r12-fee-duplicate-charge";
import { r17WhseTransferLoss } from "./r17-whse-transfer-loss";

export const RULES: readonly Rule[] = [
  r01FcLostUnreimbursed,
  r02FcDamagedUnreimbursed,
  r03InboundShortage,
  r04ReturnRefundedNotReturned,
  r05ReturnUnsellableAmazonFault,
  r06ReturnNotRestocked,
  r07ReplacementNotReturned,
  r08ReimbursementUnderValue,
  r09RefundExceedsCharge,
  r10ReturnMisapplied,
  r11FeeSizeTierOvercharge,
  r12FeeDuplicateCharge,
  r13ReferralFeeError,
  r14RemovalLostOrShort,
  r15DisposalUnauthorized,
  r16ReimbursementReversedUnsupported,
  r17WhseTransferLoss,
  r18ReimbursementApprovedNotPaid,
];

export function supportedRules(): SupportedRule[] {
  return RULES.filter((r): r is SupportedRule => r.supported);
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
