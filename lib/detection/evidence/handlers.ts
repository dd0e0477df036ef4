// The evidence routes' handlers (app/api/detections/[id]/evidence, case-text, documents and
// app/api/detections/evidence-pack). A detection is loaded through detectionResource (another user's
// id is a 404), the pack covers only the caller's seller connections (sellerScope), and the clock
// that decides which claims are open is read once per request.
import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { parseSearchParams } from "../../api/errors";
import { withOwned, withUser } from "../../api/route-wrappers";
import { toItem } from "../../documents/documents";
import { sellerScope, sellerScopeSchema } from "../../sync/api/scope";
import { detectionResource } from "../api/scope";
import { isoDay } from "../windows";
import { caseText } from "./case-text";
import { loadClaim } from "./claim";
import { claimCsv } from "./csv";
import { evidencePack } from "./pack";

const NO_STORE = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };

/** GET /api/detections/:id/evidence: the claim's evidence CSV as an attachment. */
export const evidenceCsvHandler = withOwned(detectionResource(), async (_request, { resource }) => {
  const claim = await loadClaim(resource.id, new Date());
  return new Response(claimCsv(claim), {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="claim-${claim.ruleId}-${claim.id}.csv"`,
    },
  });
});

/** GET /api/detections/:id/case-text: { caseText }. */
export const caseTextHandler = withOwned(detectionResource(), async (_request, { resource }) => {
  const claim = await loadClaim(resource.id, new Date());
  return NextResponse.json({ caseText: caseText(claim) }, { headers: NO_STORE });
});

/** GET /api/detections/:id/documents: { required, documents, missing }. */
export const claimDocumentsHandler = withOwned(detectionResource(), async (_request, { resource }) => {
  const claim = await loadClaim(resource.id, new Date());
  return NextResponse.json(
    { required: claim.documents.required, documents: claim.documents.documents.map(toItem), missing: claim.documents.missing },
    { headers: NO_STORE },
  );
});

/** GET /api/detections/evidence-pack?sellerConnectionId=: a ZIP of every open claim's pack, streamed. */
export const evidencePackHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, sellerScopeSchema);
  const sellers = await sellerScope(user.id, query.sellerConnectionId);
  const now = new Date();
  const stream = await evidencePack(sellers, now);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      ...NO_STORE,
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="evidence-pack-${isoDay(now)}.zip"`,
    },
  });
});
