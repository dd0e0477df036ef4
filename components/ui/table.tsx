// A data table that scrolls sideways on a phone instead of squeezing its columns.
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "./cx";
import { ScrollRegion } from "./scroll-region";

export function Table({ caption, children, className, "data-testid": testId }: { caption: string; children: ReactNode; className?: string; "data-testid"?: string }) {
  return (
    <ScrollRegion label={caption} className={className}>
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </ScrollRegion>
  );
}

export function TableHead({ children }: { children: ReactNode }) {
  return <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">{children}</thead>;
}

export function TableBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100 bg-white">{children}</tbody>;
}

export function TableRow({ children, className, "data-testid": testId }: { children: ReactNode; className?: string; "data-testid"?: string }) {
  return (
    <tr className={cx("hover:bg-slate-50/60", className)} data-testid={testId}>
      {children}
    </tr>
  );
}

export function TableHeader({ children, className, align = "left", ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { align?: "left" | "right" }) {
  return (
    <th scope="col" className={cx("whitespace-nowrap px-4 py-2.5", align === "right" && "text-right", className)} {...rest}>
      {children}
    </th>
  );
}

export function TableCell({ children, className, align = "left", ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { align?: "left" | "right" }) {
  return (
    <td className={cx("px-4 py-3 align-top text-slate-700", align === "right" && "text-right tabular-nums", className)} {...rest}>
      {children}
    </td>
  );
}
