"use client";
// Seed 004's banner at the top of the Overview: "All Systems Synced & Reconciled" when every source
// is fresh, no sync runs and no claim is about to expire; otherwise what is not (a sync running, a
// source stale or in error, claims expiring), each with where to go next.
import Link from "next/link";
import type { DataSourcesHealth, DetectionSummary, SyncStatusOverview } from "@/lib/client/types";
import { cx } from "@/components/ui/cx";

interface Issue {
  tone: "info" | "warning" | "danger";
  text: string;
  href: string;
  action: string;
}

export function bannerIssues(status: SyncStatusOverview | undefined, sources: DataSourcesHealth | undefined, summary: DetectionSummary | undefined): Issue[] {
  const issues: Issue[] = [];
  if (status?.hasActiveSync && status.lastSync) {
    issues.push({ tone: "info", text: `Sync running: ${status.lastSync.progress}% — ${status.lastSync.message}`, href: "/sync", action: "Watch" });
  } else if (status && !status.lastSync) {
    issues.push({ tone: "info", text: "Your first sync has not run yet.", href: "/sync", action: "Start it" });
  } else if (status?.lastSync?.status === "failed") {
    issues.push({ tone: "danger", text: "The last sync failed.", href: "/sync", action: "See why" });
  }
  const cards = sources?.dataSources ?? [];
  const errors = cards.filter((c) => c.status === "error");
  const stale = cards.filter((c) => c.status === "stale");
  if (errors.length) issues.push({ tone: "danger", text: `${names(errors.map((c) => c.name))} ${errors.length === 1 ? "has" : "have"} an error.`, href: "/sources", action: "Details" });
  if (stale.length) issues.push({ tone: "warning", text: `${names(stale.map((c) => c.name))} ${stale.length === 1 ? "is" : "are"} out of date.`, href: "/sources", action: "Details" });
  const expiring = summary?.expiringSoon?.length ?? 0;
  if (expiring) issues.push({ tone: "warning", text: `${expiring} ${expiring === 1 ? "claim expires" : "claims expire"} within 14 days.`, href: "#expiring-soon", action: "File them" });
  return issues;
}

function names(list: string[]): string {
  return list.length <= 2 ? list.join(" and ") : `${list.slice(0, 2).join(", ")} and ${list.length - 2} more`;
}

export function SystemBanner({ status, sources, summary, loading }: { status?: SyncStatusOverview; sources?: DataSourcesHealth; summary?: DetectionSummary; loading: boolean }) {
  if (loading) {
    return <div aria-hidden="true" className="h-16 animate-pulse rounded-xl bg-slate-200/70" />;
  }
  const issues = bannerIssues(status, sources, summary);
  if (issues.length === 0) {
    return (
      <div data-testid="system-banner" data-state="ok" className="flex items-center gap-3 rounded-xl border border-emerald-200 bg-emerald-50 px-5 py-4">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-6 w-6 shrink-0 text-emerald-600" fill="currentColor">
          <path fillRule="evenodd" d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.7-9.3a1 1 0 0 0-1.4-1.4L9 10.6 7.7 9.3a1 1 0 0 0-1.4 1.4l2 2a1 1 0 0 0 1.4 0l4-4Z" clipRule="evenodd" />
        </svg>
        <div>
          <p className="font-semibold text-emerald-900">All Systems Synced &amp; Reconciled</p>
          <p className="text-sm text-emerald-800">Every data source is fresh and no claim is about to expire.</p>
        </div>
      </div>
    );
  }
  const worst = issues.some((i) => i.tone === "danger") ? "danger" : issues.some((i) => i.tone === "warning") ? "warning" : "info";
  return (
    <div
      data-testid="system-banner"
      data-state={worst}
      className={cx(
        "rounded-xl border px-5 py-4",
        worst === "danger" ? "border-red-200 bg-red-50" : worst === "warning" ? "border-amber-200 bg-amber-50" : "border-sky-200 bg-sky-50",
      )}
    >
      <p className="sr-only">Needs your attention:</p>
      <ul className="space-y-1.5">
        {issues.map((issue) => (
          <li key={issue.text} className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className={cx("flex items-center gap-2", issue.tone === "danger" ? "text-red-900" : issue.tone === "warning" ? "text-amber-900" : "text-sky-900")}>
              <span aria-hidden="true" className={cx("h-2 w-2 shrink-0 rounded-full", issue.tone === "danger" ? "bg-red-500" : issue.tone === "warning" ? "bg-amber-500" : "animate-pulse bg-sky-500")} />
              {issue.text}
            </span>
            <Link href={issue.href} className="font-medium text-slate-900 underline underline-offset-2 hover:no-underline">
              {issue.action}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
