// What a panel shows when there is nothing yet: a title, a line on why, and the next step.
import type { ReactNode } from "react";
import { cx } from "./cx";

export function EmptyState({ title, description, action, icon, className, headingLevel = 3 }: { title: ReactNode; description?: ReactNode; action?: ReactNode; icon?: ReactNode; className?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className={cx("flex flex-col items-center px-6 py-10 text-center", className)}>
      {icon && <div aria-hidden="true" className="mb-3 text-slate-400">{icon}</div>}
      <Heading className="text-sm font-semibold text-slate-900">{title}</Heading>
      {description && <p className="mt-1 max-w-md text-sm text-slate-500">{description}</p>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}
