"use client";
// Times in the seller's own time zone (the browser's), rendered hydration-safe: the server and the
// first client render show the same neutral text, then the browser's formatting takes over. A
// relative time ("2 minutes ago") ticks on a shared clock, so it stays true without a reload.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The browser's clock, refreshed every 15 s; 0 on the server and during hydration. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now || (now = Date.now()),
    () => 0,
  );
}

const dateTime = () => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = () => new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
let dateTimeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

export function formatDateTime(iso: string): string {
  return (dateTimeFormat ??= dateTime()).format(new Date(iso));
}

/** A day ("2026-03-14") as the seller's locale writes it; a day has no time zone. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return (dateFormat ??= dateOnly()).format(new Date(y!, (m ?? 1) - 1, d ?? 1));
}

const relative = () => new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
let relativeFormat: Intl.RelativeTimeFormat | undefined;

/** "just now", "2 minutes ago", "in 3 hours", "yesterday". */
export function formatRelative(iso: string, nowMs: number): string {
  const diff = new Date(iso).getTime() - nowMs;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  const f = (relativeFormat ??= relative());
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60_000],
    ["hour", 3_600_000],
    ["day", 86_400_000],
    ["month", 30 * 86_400_000],
    ["year", 365 * 86_400_000],
  ];
  let unit: Intl.RelativeTimeFormatUnit = "minute";
  let size = 60_000;
  for (const [u, ms] of steps) if (abs >= ms) [unit, size] = [u, ms];
  return f.format(Math.round(diff / size), unit);
}

/** An instant in the seller's time zone: "Mar 14, 2026, 9:05 AM". */
export function LocalTime({ iso, fallback = "—", className }: { iso: string | null | undefined; fallback?: string; className?: string }) {
  const ready = useNow() !== 0;
  if (!iso) return <span className={className}>{fallback}</span>;
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {ready ? formatDateTime(iso) : iso.slice(0, 10)}
    </time>
  );
}

/** "2 minutes ago", kept fresh; the exact time in the seller's zone as its tooltip. */
export function RelativeTime({ iso, fallback = "never", className, "data-testid": testId }: { iso: string | null | undefined; fallback?: string; className?: string; "data-testid"?: string }) {
  const nowMs = useNow();
  if (!iso) return <span className={className} data-testid={testId}>{fallback}</span>;
  return (
    <time dateTime={iso} title={nowMs ? formatDateTime(iso) : undefined} className={className} data-testid={testId}>
      {nowMs ? formatRelative(iso, nowMs) : "…"}
    </time>
  );
}

/** A duration in seconds as "1 h 04 min", "3 min 20 s", "45 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
