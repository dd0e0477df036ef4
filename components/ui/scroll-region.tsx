// A region that scrolls sideways (a wide table on a phone). It takes keyboard focus and is named, so a
// keyboard user can scroll it with the arrow keys and a screen reader announces what it holds (axe's
// scrollable-region-focusable).
import type { ReactNode } from "react";
import { cx } from "./cx";

export function ScrollRegion({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={cx("overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600", className)}
    >
      {children}
    </div>
  );
}
