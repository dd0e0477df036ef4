"use client";
// One sync, live: the progress bar and the step the sync is on (read out politely to screen
// readers), ETA, and on the Sync page each source's progress and a Cancel button. Numbers come from
// useSyncProgress (the server's stream, or polling when the stream fails).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatCount } from "@/components/ui/money";
import { RelativeTime, formatDuration, formatRelative, useNow } from "@/components/ui/time";
import { invalidateAfterSync, useSyncProgress } from "@/components/live/use-sync-progress";
import { apiFetch } from "@/lib/client/api";
import { SOURCE_STATUS, kindLabel, syncStatusLabel } from "./labels";

export function SyncProgressPanel({ syncId, variant = "compact" }: { syncId: string; variant?: "compact" | "full" }) {
  const live = useSyncProgress(syncId);
  const detail = live.detail;
  const status = live.status ?? "running";
  const running = status === "running";
  const badge = syncStatusLabel(status);
  const tone = status === "failed" ? "red" : status === "cancelled" ? "slate" : running ? "amber" : "emerald";
  const title = running ? "Sync in progress" : status === "completed" ? "Sync complete" : status === "failed" ? "Sync failed" : "Sync cancelled";

  return (
    <div className="space-y-4" data-testid="sync-progress" data-status={status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
          <Badge tone={badge.tone} dot pulse={running}>
            {badge.label}
          </Badge>
          {detail && <span className="text-xs text-slate-500">{kindLabel(detail.kind)}</span>}
        </div>
        <span className="text-xs text-slate-500" data-testid="sync-transport">
          {running ? (live.transport === "stream" ? "Live" : live.transport === "polling" ? "Updating every few seconds" : "Connecting…") : null}
        </span>
      </div>

      <div className="flex items-center gap-3">
        <ProgressBar value={live.progress} label="Sync progress" valueText={live.message} tone={tone} active={running} data-testid="sync-progress-bar" className="flex-1" />
        <span className="w-12 text-right text-sm font-semibold tabular-nums text-slate-900" data-testid="sync-percent">
          {Math.round(live.progress)}%
        </span>
      </div>

      <p aria-live="polite" className="min-h-5 text-sm text-slate-700" data-testid="sync-message">
        {live.message || (running ? "Starting…" : "")}
      </p>

      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <Fact label="Started">{detail ? <RelativeTime iso={detail.startedAt} /> : "—"}</Fact>
        <Fact label={running ? "Time left" : "Took"}>
          {running ? detail?.eta ? <Eta iso={detail.eta} /> : "Estimating…" : detail?.completedAt ? formatDuration((Date.parse(detail.completedAt) - Date.parse(detail.startedAt)) / 1000) : "—"}
        </Fact>
        <Fact label="Order rows">{formatCount(detail?.ordersProcessed)}</Fact>
        <Fact label="Claims found">{running && live.claimsDetected === 0 ? "none yet" : formatCount(live.claimsDetected)}</Fact>
      </dl>

      {variant === "full" && detail && detail.sources.length > 0 && (
        <div>
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Sources</h4>
          <ul className="grid gap-2 sm:grid-cols-2" data-testid="sync-sources">
            {detail.sources.map((source) => {
              const s = SOURCE_STATUS[source.status];
              const pct = source.tasks > 0 ? (source.tasksDone / source.tasks) * 100 : source.status === "completed" ? 100 : 0;
              return (
                <li key={source.source} className="rounded-lg border border-slate-200 px-3 py-2.5">
                  <div className="flex items-center justify-between gap-2 text-sm">
                    <span className="truncate font-medium capitalize text-slate-800">{source.title}</span>
                    <Badge tone={s.tone}>{s.label}</Badge>
                  </div>
                  <ProgressBar value={pct} size="sm" label={`${source.title} progress`} tone={source.status === "failed" ? "red" : source.status === "completed" ? "emerald" : "amber"} className="mt-2" />
                  <p className="mt-1.5 text-xs text-slate-500">
                    {source.tasksDone} of {source.tasks} {source.tasks === 1 ? "part" : "parts"} · {formatCount(source.rows)} rows
                  </p>
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {detail && detail.failedTasks.length > 0 && !running && (
        <details className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <summary className="cursor-pointer font-medium">
            {detail.failedTasks.length} {detail.failedTasks.length === 1 ? "part" : "parts"} could not be pulled
          </summary>
          <ul className="mt-2 space-y-1">
            {detail.failedTasks.slice(0, 20).map((task, i) => (
              <li key={`${task.source}-${task.window ?? i}`}>
                <span className="font-medium capitalize">{task.title}</span>
                {task.window && <span className="text-amber-800"> ({task.window.split("..").map((d) => d.slice(0, 10)).join(" – ")})</span>}: {task.error ?? "no reason given"}
              </li>
            ))}
          </ul>
        </details>
      )}

      {variant === "full" && running && <CancelSync syncId={syncId} />}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums text-slate-800">{children}</dd>
    </div>
  );
}

function Eta({ iso }: { iso: string }) {
  // "in 4 minutes" from the shared clock; an ETA already passed reads "Almost done".
  const now = useNow();
  if (!now) return <>…</>;
  if (Date.parse(iso) <= now + 30_000) return <>Almost done</>;
  return <time dateTime={iso}>{formatRelative(iso, now).replace(/^in /, "about ")}</time>;
}

function CancelSync({ syncId }: { syncId: string }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => apiFetch(`/api/sync/cancel/${encodeURIComponent(syncId)}`, { method: "POST" }),
    onSuccess: () => {
      setConfirming(false);
      invalidateAfterSync(client, syncId);
    },
  });
  if (!confirming) {
    return (
      <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
        Cancel sync
      </Button>
    );
  }
  return (
    <div role="group" aria-label="Confirm cancelling the sync" className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
      <span className="text-slate-700">Stop this sync? What was pulled so far is kept; the next sync continues from there.</span>
      <Button variant="danger" size="sm" loading={cancel.isPending} onClick={() => cancel.mutate()}>
        Stop sync
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Keep running
      </Button>
      {cancel.error && <span role="alert" className="text-red-700">{cancel.error.message}</span>}
    </div>
  );
}
