// Value formats as they appear in Amazon's flat files.
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function money(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100)}`;
}

/** ISO-8601 with offset, e.g. 2026-05-10T01:02:03+00:00 (reimbursements, returns, orders, removals). */
export function isoOffset(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** Ledger `Date`: MM/DD/YYYY. */
export function usDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** Ledger `Date and Time`: 2026-07-06T00:00:00+0000. */
export function ledgerDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

/** Settlement (US): 2026-01-05 12:34:56 UTC. */
export function settlementDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Decimal with fixed places from a plain number (dimensions, weights). */
export const fixed = (n: number, places = 2) => n.toFixed(places);
