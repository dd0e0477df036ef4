// A small status pill. Tones carry meaning (success, warning, danger); the text always says it too.
import type { ReactNode } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info";

const tones: Record<BadgeTone, { pill: string; dot: string }> = {
  neutral: { pill: "bg-slate-100 text-slate-700 ring-slate-200", dot: "bg-slate-400" },
  success: { pill: "bg-emerald-50 text-emerald-800 ring-emerald-200", dot: "bg-emerald-500" },
  warning: { pill: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  danger: { pill: "bg-red-50 text-red-800 ring-red-200", dot: "bg-red-500" },
  info: { pill: "bg-sky-50 text-sky-800 ring-sky-200", dot: "bg-sky-500" },
};

export function Badge({ tone = "neutral", dot = false, pulse = false, children, className, "data-testid": testId }: { tone?: BadgeTone; dot?: boolean; pulse?: boolean; children: ReactNode; className?: string; "data-testid"?: string }) {
  return (
    <span data-testid={testId} className={cx("inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone].pill, className)}>
      {dot && <span aria-hidden="true" className={cx("h-1.5 w-1.5 rounded-full", tones[tone].dot, pulse && "animate-pulse")} />}
      {children}
    </span>
  );
}
