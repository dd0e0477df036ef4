// Colour of a run or step status on the operator pages.
const tones: Record<string, string> = {
  completed: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
  cancelled: "bg-amber-50 text-amber-800",
  skipped: "bg-slate-100 text-slate-600",
  running: "bg-sky-50 text-sky-700",
  queued: "bg-slate-100 text-slate-700",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${tones[status] ?? "bg-sky-50 text-sky-700"}`} data-status={status}>
      {status}
    </span>
  );
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
