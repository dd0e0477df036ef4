// Drives the SP-API sandbox's consent page the way a browser would: GET the page, submit its form
// with Confirm or Cancel, and return the query Amazon's redirect carries back to the app.
import { expect } from "vitest";

export async function answerConsent(
  consentUrl: string,
  choice: { action: "confirm" | "cancel"; sellingPartnerId?: string },
): Promise<Record<string, string>> {
  const page = await fetch(consentUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1]!, decodeHtml(match[2]!));
  }
  const selected = html.match(/<option value="([^"]+)" selected>/)?.[1];
  form.set("selling_partner_id", choice.sellingPartnerId ?? selected ?? "");
  form.set("action", choice.action);
  const action = new URL(html.match(/<form method="post" action="([^"]+)"/)![1]!, consentUrl);
  const answer = await fetch(action, { method: "POST", body: form, redirect: "manual" });
  expect(answer.status).toBe(302);
  return Object.fromEntries(new URL(answer.headers.get("location")!).searchParams);
}

function decodeHtml(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
