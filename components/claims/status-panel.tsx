"use client";

// Changing a claim's status (filed, disputed, dismissed ...) with a note, and the history of changes.
// PATCH /api/detections/:id keeps each change in the audit trail; the history comes with the claim.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert, Button } from "@/components/ui";
import { LocalTime } from "@/components/ui/time";
import { claimKeys, sendJson, type DetectionDetail, type DetectionItem, type StoredStatus } from "./api";
import { SETTABLE_STATUSES, STATUS_HELP, STATUS_LABELS } from "./format";

const NOTE_MAX = 1000;

export function StatusPanel({ claim }: { claim: DetectionDetail }) {
  const queryClient = useQueryClient();
  const ids = { status: useId(), note: useId(), help: useId() };
  const [status, setStatus] = useState<StoredStatus>(claim.storedStatus);
  const [note, setNote] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () => sendJson<{ detection: DetectionItem }>(`/api/detections/${encodeURIComponent(claim.id)}`, "PATCH", { status, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: async ({ detection }) => {
      setNote("");
      setSaved(`Status saved: ${STATUS_LABELS[detection.status] ?? detection.status}.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: claimKeys.detail(claim.id) }),
        queryClient.invalidateQueries({ queryKey: ["claims", "results"] }),
      ]);
    },
  });
  const unchanged = status === claim.storedStatus && !note.trim();
  const history = [...claim.history].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <div className="space-y-5">
      <form
        className="space-y-3"
        aria-label="Change the claim's status"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          mutation.mutate();
        }}
      >
        <div>
          <label htmlFor={ids.status} className="text-sm font-medium text-slate-700">
            Status
          </label>
          <select
            id={ids.status}
            value={status}
            aria-describedby={ids.help}
            onChange={(e) => setStatus(e.target.value as StoredStatus)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-amber-600"
          >
            {SETTABLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <p id={ids.help} className="mt-1 text-xs text-slate-500">
            {STATUS_HELP[status]}
          </p>
        </div>
        <div>
          <label htmlFor={ids.note} className="text-sm font-medium text-slate-700">
            Note <span className="font-normal text-slate-500">(optional, e.g. the case id)</span>
          </label>
          <textarea
            id={ids.note}
            value={note}
            maxLength={NOTE_MAX}
            rows={3}
            onChange={(e) => setNote(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-amber-600"
          />
          <p className="mt-1 text-right text-xs text-slate-500">
            {note.length}/{NOTE_MAX}
          </p>
        </div>
        <Button type="submit" size="sm" loading={mutation.isPending} disabled={unchanged}>
          Save status
        </Button>
        <div aria-live="polite" className="text-sm">
          {saved && !mutation.isPending && <p className="text-emerald-700">{saved}</p>}
        </div>
        {mutation.isError && (
          <Alert tone="danger" live>
            {mutation.error.message}
          </Alert>
        )}
      </form>

      <div>
        <h3 className="text-sm font-semibold text-slate-900">History</h3>
        {history.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">No status changes yet. Found {claim.discoveryDate ? <LocalTime iso={claim.discoveryDate} /> : "recently"}.</p>
        ) : (
          <ol className="mt-2 space-y-3 border-l border-slate-200 pl-4" data-testid="status-history">
            {history.map((entry, i) => (
              <li key={`${entry.at}:${i}`} className="text-sm">
                <p className="text-slate-900">
                  {entry.from ? `${STATUS_LABELS[entry.from as StoredStatus] ?? entry.from} → ` : ""}
                  <span className="font-medium">{STATUS_LABELS[entry.to as StoredStatus] ?? entry.to}</span>
                </p>
                <p className="text-xs text-slate-500">
                  <LocalTime iso={entry.at} /> · {entry.actor === "seller" ? "you" : entry.actor}
                </p>
                {entry.note && <p className="mt-0.5 whitespace-pre-line text-slate-600">{entry.note}</p>}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
