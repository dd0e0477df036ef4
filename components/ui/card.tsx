// A white panel with an optional header (title, description, actions on the right).
import type { ReactNode } from "react";
import { cx } from "./cx";

export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links shown at the header's right. */
  actions?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** The header's heading level (2 by default; 3 inside a titled section). */
  headingLevel?: 2 | 3;
  /** Padding of the body: "md" (default) or "none" for tables and lists that reach the edges. */
  padding?: "md" | "none";
  /** Names the card for screen readers and tests (aria-labelledby its title when one is given). */
  id?: string;
  "data-testid"?: string;
  tone?: "default" | "danger";
}

export function Card({ title, description, actions, children, className, headingLevel = 2, padding = "md", id, tone = "default", ...rest }: CardProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const titleId = id ? `${id}-title` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={title && titleId ? titleId : undefined}
      data-testid={rest["data-testid"]}
      className={cx("rounded-xl border bg-white shadow-sm", tone === "danger" ? "border-red-200" : "border-slate-200", className)}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
          <div className="min-w-0">
            {title && (
              <Heading id={titleId} className={cx("text-base font-semibold", tone === "danger" ? "text-red-800" : "text-slate-900")}>
                {title}
              </Heading>
            )}
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={padding === "md" ? "p-5" : undefined}>{children}</div>
    </section>
  );
}

/** A figure on a card: label, big value, optional hint below. */
export function Stat({ label, value, hint, tone = "default", "data-testid": testId }: { label: ReactNode; value: ReactNode; hint?: ReactNode; tone?: "default" | "success" | "warning" | "danger"; "data-testid"?: string }) {
  const colour = { default: "text-slate-900", success: "text-emerald-700", warning: "text-amber-700", danger: "text-red-700" }[tone];
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid={testId}>
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className={cx("mt-2 text-2xl font-semibold tracking-tight tabular-nums", colour)}>{value}</dd>
      {hint && <dd className="mt-1 text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}
