// The rule catalogue, in detection.md's order: one module per rule, ids and slugs as there. A rule the
// synced data cannot support yet is listed with why (lib/detection/README.md).
import type { Rule, SupportedRule } from "../types";
import { r01FcLostUnreimbursed } from "./r01-fc-lost-unreimbursed";
import { r02FcDamagedUnreimbursed } from "./r02-fc-damaged-unreimbursed";

export const RULES: readonly Rule[] = [r01FcLostUnreimbursed, r02FcDamagedUnreimbursed];

export function supportedRules(): SupportedRule[] {
  return RULES.filter((r): r is SupportedRule => r.supported);
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
