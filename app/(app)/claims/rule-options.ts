// The rules a seller can filter claims by: the catalogue's rules that run (lib/detection/rules).
import { supportedRules } from "@/lib/detection/rules";
import type { RuleOption } from "@/components/claims/claims-table";

export function ruleOptions(): RuleOption[] {
  return supportedRules().map((rule) => ({ id: rule.id, title: rule.title }));
}
