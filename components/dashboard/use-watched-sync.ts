"use client";
// The sync a page is showing live: the running one, and after it ends still that one (so the bar is
// seen reaching 100 % and the result stays on screen) until another starts.
import { useEffect, useState } from "react";
import type { SyncStatusOverview } from "@/lib/client/types";

export function useWatchedSync(status: SyncStatusOverview | undefined, extra?: string | null): string | null {
  const [watched, setWatched] = useState<string | null>(null);
  const running = status?.hasActiveSync ? (status.lastSync?.syncId ?? null) : null;
  useEffect(() => {
    if (running) setWatched(running);
  }, [running]);
  useEffect(() => {
    if (extra) setWatched(extra);
  }, [extra]);
  return running ?? watched;
}
