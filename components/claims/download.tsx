"use client";

// Downloads an API file (a claim's evidence CSV, the evidence pack ZIP) through fetch, so a failure
// shows the route's message beside the button instead of an error page, and the button says it is
// working while a large pack is built. The file keeps the name the route gives it.
import { useState } from "react";
import { Button, type ButtonVariant } from "@/components/ui";
import { ensureOk } from "./api";

function fileNameOf(response: Response, fallback: string): string {
  const disposition = response.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
}

export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  await ensureOk(response);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = fileNameOf(response, fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function DownloadButton({ url, fileName, children, variant = "secondary", "data-testid": testId }: { url: string; fileName: string; children: string; variant?: ButtonVariant; "data-testid"?: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        variant={variant}
        size="sm"
        loading={state.busy}
        data-testid={testId}
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            await downloadFile(url, fileName);
            setState({ busy: false, error: null });
          } catch (error) {
            setState({ busy: false, error: error instanceof Error ? error.message : "The download failed." });
          }
        }}
      >
        {children}
      </Button>
      {state.error && (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      )}
    </span>
  );
}
