"use client";

// The documents a claim needs (an invoice for a unit cost, proof of delivery for an inbound shortage),
// which the seller has uploaded and which are missing, and an upload form (POST /api/documents,
// PDF/PNG/JPEG/WebP; the server checks the content and the size).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Alert, Badge, Button, ErrorState, LoadingRows } from "@/components/ui";
import { LocalTime } from "@/components/ui/time";
import { claimKeys, ensureOk, fetchJson, type ClaimDocuments, type DetectionDetail, type SellerDocumentItem } from "./api";
import { humanize } from "./format";

const KINDS = ["invoice", "proof-of-delivery", "other"] as const;
const KIND_LABELS: Record<string, string> = { invoice: "Invoice", "proof-of-delivery": "Proof of delivery", other: "Other document" };
const kindLabel = (kind: string) => KIND_LABELS[kind] ?? humanize(kind);

const sizeText = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function DocumentsPanel({ claim }: { claim: DetectionDetail }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: claimKeys.documents(claim.id),
    queryFn: () => fetchJson<ClaimDocuments>(`/api/detections/${encodeURIComponent(claim.id)}/documents`),
  });

  if (query.isPending) return <LoadingRows rows={3} label="Loading documents" />;
  if (query.isError) return <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />;
  const { required, documents, missing } = query.data;

  return (
    <div className="space-y-5">
      {required.length === 0 ? (
        <p className="text-sm text-slate-600">Amazon needs no document of yours for this claim. You can still attach one.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="Documents this claim needs" data-testid="documents-required">
          {required.map((kind) => (
            <li key={kind}>
              {missing.includes(kind) ? (
                <Badge tone="warning" dot>
                  {kindLabel(kind)}: missing
                </Badge>
              ) : (
                <Badge tone="success" dot>
                  {kindLabel(kind)}: uploaded
                </Badge>
              )}
            </li>
          ))}
        </ul>
      )}

      {documents.length > 0 && (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Uploaded documents">
          {documents.map((doc) => (
            <DocumentRow key={doc.id} doc={doc} />
          ))}
        </ul>
      )}

      <UploadForm claim={claim} defaultKind={missing[0] ?? required[0] ?? "other"} onUploaded={() => queryClient.invalidateQueries({ queryKey: claimKeys.documents(claim.id) })} />
    </div>
  );
}

function DocumentRow({ doc }: { doc: SellerDocumentItem }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
      <div className="min-w-0">
        <a href={`/api/documents/${encodeURIComponent(doc.id)}/file`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
          {doc.fileName}
        </a>
        <p className="text-xs text-slate-500">
          {kindLabel(doc.kind)} · {sizeText(doc.sizeBytes)} · uploaded <LocalTime iso={doc.uploadedAt} />
          {doc.note ? ` · ${doc.note}` : ""}
        </p>
      </div>
    </li>
  );
}

function UploadForm({ claim, defaultKind, onUploaded }: { claim: DetectionDetail; defaultKind: string; onUploaded: () => Promise<unknown> }) {
  const ids = { file: useId(), kind: useId(), note: useId() };
  const fileInput = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<string>(KINDS.includes(defaultKind as never) ? defaultKind : "other");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.set("file", file);
      form.set("kind", kind);
      if (claim.sku) form.set("sku", claim.sku);
      if (claim.shipmentId) form.set("shipmentId", claim.shipmentId);
      if (claim.removalOrderId) form.set("removalOrderId", claim.removalOrderId);
      if (note.trim()) form.set("note", note.trim());
      form.set("sellerConnectionId", claim.sellerConnectionId);
      let response: Response;
      try {
        response = await fetch("/api/documents", { method: "POST", body: form });
      } catch {
        throw new Error("Could not reach the server. Check your connection and try again.");
      }
      await ensureOk(response);
      return (await response.json()) as { document: SellerDocumentItem };
    },
    onSuccess: async ({ document }) => {
      setDone(`Uploaded ${document.fileName}.`);
      setNote("");
      if (fileInput.current) fileInput.current.value = "";
      await onUploaded();
    },
  });

  return (
    <form
      className="space-y-3 rounded-lg border border-dashed border-slate-300 p-4"
      aria-label="Upload a document"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(null);
        const file = fileInput.current?.files?.[0];
        if (file) mutation.mutate(file);
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <label htmlFor={ids.file} className="text-sm font-medium text-slate-700">
            File <span className="font-normal text-slate-500">(PDF, PNG, JPEG or WebP)</span>
          </label>
          <input
            id={ids.file}
            ref={fileInput}
            type="file"
            required
            accept="application/pdf,image/png,image/jpeg,image/webp,.pdf,.png,.jpg,.jpeg,.webp"
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
        </div>
        <div>
          <label htmlFor={ids.kind} className="text-sm font-medium text-slate-700">
            Kind
          </label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.note} className="text-sm font-medium text-slate-700">
            Note <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input id={ids.note} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </div>
      </div>
      <p className="text-xs text-slate-500">
        Filed with this claim&apos;s {[claim.sku && `SKU ${claim.sku}`, claim.shipmentId && `shipment ${claim.shipmentId}`, claim.removalOrderId && `removal order ${claim.removalOrderId}`].filter(Boolean).join(", ") || "seller account"}.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" size="sm" variant="secondary" loading={mutation.isPending}>
          Upload
        </Button>
        <span aria-live="polite" className="text-sm text-emerald-700">
          {done}
        </span>
      </div>
      {mutation.isError && (
        <Alert tone="danger" live>
          {mutation.error.message}
        </Alert>
      )}
    </form>
  );
}
