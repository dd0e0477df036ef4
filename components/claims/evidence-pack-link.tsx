"use client";

// The ZIP of every open claim (one CSV and case text each, the documents they cite, an index).
import { DownloadButton } from "./download";

export function EvidencePackLink() {
  return (
    <DownloadButton url="/api/detections/evidence-pack" fileName="evidence-pack.zip" variant="primary" data-testid="evidence-pack">
      Download evidence pack (ZIP)
    </DownloadButton>
  );
}
