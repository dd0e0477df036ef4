// A seller's unit cost as exact integer minor units of its currency: "12.34" USD → 1234, "1500" JPY →
// 1500, "1.250" KWD → 1250. Decimal text is read digit by digit (never through a float); a number from
// JSON goes through its shortest decimal text, so 12.34 stays 12.34. More decimals than the currency
// has are refused rather than rounded: a cost is what the seller paid, not an estimate.
import { currencyExponent } from "../../amazon/report-values";
import { money } from "../format";

/** Highest unit cost accepted, in major units (Amazon caps one item's reimbursement far below this). */
export const MAX_UNIT_COST_MAJOR = 1_000_000;

const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** An ISO 4217 code, any case → upper case. */
export function parseCurrency(raw: string): Parsed<string> {
  const code = raw.trim().toUpperCase();
  if (code === "") return { ok: false, reason: "the currency is blank" };
  if (!/^[A-Z]{3}$/.test(code) || !ISO_CURRENCIES.has(code)) return { ok: false, reason: `"${raw.trim().slice(0, 20)}" is not an ISO currency code like USD or EUR` };
  return { ok: true, value: code };
}

/** A unit cost in major units (text or JSON number) → minor units of `currency`. */
export function parseUnitCost(raw: string | number, currency: string): Parsed<number> {
  const text = typeof raw === "number" ? (Number.isFinite(raw) ? String(raw) : "") : raw.trim();
  if (text === "") return { ok: false, reason: "the unit cost is blank" };
  if (/^-/.test(text)) return { ok: false, reason: `the unit cost ${text.slice(0, 20)} is negative` };
  const m = /^\+?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: `"${text.slice(0, 20)}" is not a number like 12.34 (no currency signs or thousands separators)` };
  const exponent = currencyExponent(currency);
  const [, whole = "0", frac = ""] = m;
  if (frac.replace(/0+$/, "").length > exponent) {
    return { ok: false, reason: exponent === 0 ? `${currency} has no decimals: "${text}"` : `${currency} has ${exponent} decimals: "${text}" has more` };
  }
  const minor = BigInt(whole + frac.padEnd(exponent, "0").slice(0, exponent));
  if (minor === 0n) return { ok: false, reason: "the unit cost is 0: a loss would be valued at nothing (leave the SKU out instead)" };
  if (minor > BigInt(MAX_UNIT_COST_MAJOR) * 10n ** BigInt(exponent)) return { ok: false, reason: `the unit cost is over ${money(MAX_UNIT_COST_MAJOR * 10 ** exponent, currency)}` };
  return { ok: true, value: Number(minor) };
}

/** Minor units back to a major-unit number for the API (12.34), exact for any cost accepted above. */
export function toMajor(minor: bigint | number, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number((Number(minor) / 10 ** exponent).toFixed(exponent));
}
