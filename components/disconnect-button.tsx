"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

/** Disconnect with an explicit confirmation and a choice to keep or delete the seller's data. */
export function DisconnectButton({ connectionId, sellingPartnerId }: { connectionId: string; sellingPartnerId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [deleteData, setDeleteData] = useState(false);
  const mutation = useMutation({
    mutationFn: async () => {
      const response = await fetch(`/api/amazon/connections/${encodeURIComponent(connectionId)}/disconnect`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ confirm: true, deleteData }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? "Could not disconnect.");
      }
    },
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="text-sm text-slate-500 hover:text-red-700">
        Disconnect
      </button>
    );
  }
  return (
    <div role="dialog" aria-label={`Disconnect ${sellingPartnerId}`} className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
      <p className="font-medium text-red-800">Disconnect {sellingPartnerId}? Syncing stops and the Amazon token is erased.</p>
      <label className="flex items-center gap-2 text-red-800">
        <input type="checkbox" checked={deleteData} onChange={(event) => setDeleteData(event.target.checked)} />
        Also delete this seller&apos;s synced data and findings
      </label>
      {mutation.error && <p className="text-red-700">{mutation.error.message}</p>}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate()}
          className="rounded-md bg-red-700 px-3 py-1.5 font-semibold text-white hover:bg-red-600 disabled:opacity-60"
        >
          {mutation.isPending ? "Disconnecting…" : "Confirm disconnect"}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-slate-700 hover:bg-white">
          Cancel
        </button>
      </div>
    </div>
  );
}
