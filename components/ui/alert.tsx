// A message in a coloured box: an error that stopped a panel loading, a warning, a confirmation.
// `live` makes it announced when it appears (role="alert" for errors, aria-live polite otherwise).
import type { ReactNode } from "react";
import { cx } from "./cx";

const tones = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  danger: "border-red-200 bg-red-50 text-red-900",
};

export function Alert({ tone = "info", title, children, action, live = false, className, "data-testid": testId }: { tone?: keyof typeof tones; title?: ReactNode; children?: ReactNode; action?: ReactNode; live?: boolean; className?: string; "data-testid"?: string }) {
  const liveProps = live ? (tone === "danger" ? { role: "alert" } : { "aria-live": "polite" as const }) : {};
  return (
    <div {...liveProps} data-testid={testId} className={cx("flex flex-wrap items-start justify-between gap-3 rounded-lg border px-4 py-3 text-sm", tones[tone], className)}>
      <div className="min-w-0">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className={title ? "mt-0.5" : undefined}>{children}</div>}
      </div>
      {action && <div className="shrink-0">{action}</div>}
    </div>
  );
}

/** A panel's load failure with a retry button. */
export function ErrorState({ message, onRetry, className }: { message: string; onRetry?: () => void; className?: string }) {
  return (
    <Alert
      tone="danger"
      live
      className={className}
      title="Could not load this"
      action={
        onRetry && (
          <button type="button" onClick={onRetry} className="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-100">
            Try again
          </button>
        )
      }
    >
      {message}
    </Alert>
  );
}
