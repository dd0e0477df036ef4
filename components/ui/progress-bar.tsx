// A determinate progress bar (role="progressbar" with its value), animated between updates.
// Its width is set from the client (React sets style through the DOM, which the nonce-based
// Content-Security-Policy allows; a server-rendered style attribute it would block): render it from
// data fetched in the browser.
import { cx } from "./cx";

export interface ProgressBarProps {
  /** 0-100; clamped. */
  value: number;
  /** The accessible name: "Sync progress". */
  label: string;
  /** Read out with the value: "Downloading inventory ledger". */
  valueText?: string;
  tone?: "amber" | "emerald" | "red" | "slate";
  size?: "sm" | "md";
  /** Moving stripes while work is going on. */
  active?: boolean;
  className?: string;
  "data-testid"?: string;
}

const fills = { amber: "bg-amber-500", emerald: "bg-emerald-500", red: "bg-red-500", slate: "bg-slate-400" };

export function ProgressBar({ value, label, valueText, tone = "amber", size = "md", active = false, className, "data-testid": testId }: ProgressBarProps) {
  const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(value) ? value : 0)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      aria-valuetext={valueText ? `${clamped}% — ${valueText}` : `${clamped}%`}
      data-testid={testId}
      data-value={clamped}
      className={cx("w-full overflow-hidden rounded-full bg-slate-100", size === "md" ? "h-3" : "h-1.5", className)}
    >
      <div
        className={cx("h-full rounded-full transition-[width] duration-700 ease-out", fills[tone], active && "progress-stripes")}
        style={{ width: `${clamped}%` }}
      />
    </div>
  );
}
