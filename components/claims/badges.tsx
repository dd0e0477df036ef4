// The claim's status, severity and window as pills: the colour helps, the words always say it.
import { Badge, type BadgeTone } from "@/components/ui";
import type { ClaimStatus, DetectionItem, Severity } from "./api";
import { SEVERITY_LABELS, STATUS_LABELS, windowText } from "./format";

const statusTones: Record<ClaimStatus, BadgeTone> = {
  pending: "info",
  reviewed: "info",
  filed: "warning",
  disputed: "warning",
  resolved: "success",
  dismissed: "neutral",
  waiting: "neutral",
  expired: "danger",
};

const severityTones: Record<Severity, BadgeTone> = { high: "danger", medium: "warning", low: "neutral", info: "neutral" };

export function StatusBadge({ status }: { status: ClaimStatus }) {
  return (
    <Badge tone={statusTones[status] ?? "neutral"} dot data-testid="claim-status">
      {STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={severityTones[severity] ?? "neutral"}>
      <span className="sr-only">Severity: </span>
      {SEVERITY_LABELS[severity] ?? severity}
    </Badge>
  );
}

/** The window as a short line, red when the deadline is within 14 days or passed. */
export function WindowText({ claim, today }: { claim: Pick<DetectionItem, "status" | "expired" | "opensAt" | "deadline" | "daysRemaining">; today: string | null }) {
  const text = windowText(claim, today);
  const urgent = claim.expired || claim.status === "expired" || (claim.status !== "waiting" && claim.daysRemaining !== null && claim.daysRemaining <= 14);
  return <span className={urgent ? "font-medium text-red-700" : claim.status === "waiting" ? "text-slate-500" : "text-slate-700"}>{text}</span>;
}
