"use client";

// The case text, ready to paste into Seller Central's "Contact us" form, with a Copy button, and the
// claim's evidence CSV (the source rows, the arithmetic and the same text) to attach.
import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Button, ErrorState, LoadingRows } from "@/components/ui";
import { claimKeys, fetchJson } from "./api";
import { DownloadButton } from "./download";

export function CaseTextPanel({ id, ruleId }: { id: string; ruleId: string }) {
  const textId = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const query = useQuery({
    queryKey: claimKeys.caseText(id),
    queryFn: () => fetchJson<{ caseText: string }>(`/api/detections/${encodeURIComponent(id)}/case-text`),
  });

  async function copy() {
    const text = query.data?.caseText ?? "";
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      // No clipboard permission (an old browser, an insecure origin): select it for Ctrl/Cmd+C.
      area.current?.focus();
      area.current?.select();
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 4000);
  }

  return (
    <div className="space-y-3">
      {query.isPending ? (
        <LoadingRows rows={4} label="Loading the case text" />
      ) : query.isError ? (
        <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <label htmlFor={textId} className="sr-only">
            Case text
          </label>
          <textarea
            id={textId}
            ref={area}
            readOnly
            value={query.data.caseText}
            rows={10}
            data-testid="case-text"
            className="block w-full resize-y rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 focus-visible:outline-2 focus-visible:outline-amber-600"
          />
        </>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => void copy()} disabled={!query.data}>
          Copy case text
        </Button>
        <DownloadButton url={`/api/detections/${encodeURIComponent(id)}/evidence`} fileName={`claim-${ruleId}-${id}.csv`} data-testid="evidence-csv">
          Download evidence CSV
        </DownloadButton>
        <span aria-live="polite" className="text-sm">
          {copied === "yes" && <span className="text-emerald-700">Copied. Paste it into your Seller Central case.</span>}
          {copied === "failed" && <span className="text-slate-600">Selected: press Ctrl+C (⌘C on a Mac) to copy.</span>}
        </span>
      </div>
    </div>
  );
}
