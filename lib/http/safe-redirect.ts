// The one check for "where may we send the visitor after sign-in": a path on this site, never another
// host. Browsers are generous with what they treat as a host (`/\evil`, `/<TAB>/evil`, `//evil`,
// percent-encoded forms of each), so anything that is not plainly a same-origin path falls back.
// Runs in the browser too (the sign-in form), so it uses nothing but the URL standard.

const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;
const BASE = "http://same-origin.invalid";

export function safeRedirectPath(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Look at the value and at each percent-decoded layer of it: an encoded `\` or `//` is still one.
  let layer = value;
  for (let depth = 0; depth < 4; depth++) {
    if (CONTROL_OR_BACKSLASH.test(layer) || !layer.startsWith("/") || layer.startsWith("//")) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return fallback;
    }
    if (decoded === layer) break;
    layer = decoded;
  }
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return fallback;
  return url.pathname + url.search + url.hash;
}
