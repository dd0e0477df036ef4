// Cell parsers for flat-file reports: decimal strings to integer minor units (no float arithmetic),
// the date and date-time spellings Amazon uses across marketplaces to UTC ISO strings, integers, flags.

/** ISO 4217 currencies whose minor unit is not 1/100 (Amazon marketplaces and neighbours). */
const CURRENCY_EXPONENTS: Record<string, number> = {
  JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, HUF: 2, TWD: 2,
  BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, IQD: 3, LYD: 3,
};

export function currencyExponent(currency: string | null | undefined): number {
  if (!currency) return 2;
  return CURRENCY_EXPONENTS[currency.trim().toUpperCase()] ?? 2;
}

const PLAIN_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Normalises a report's decimal spelling to `-1234.56` form, or null when it is not a number.
 * Accepts `1,234.56`, `1.234,56`, `12,34` (EU files) and `(12.34)` accounting negatives.
 */
export function normaliseDecimal(raw: string): string | null {
  let s = raw.trim().replace(/[\s\u00a0']/g, "");
  if (s === "") return null;
  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.endsWith("-") && /^\d/.test(s)) {
    negative = true;
    s = s.slice(0, -1);
  }
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  if (lastComma >= 0 && lastDot >= 0) {
    // Whichever separator comes last is the decimal point; the other groups thousands.
    s = lastComma > lastDot ? s.replace(/\./g, "").replace(",", ".") : s.replace(/,/g, "");
  } else if (lastComma >= 0) {
    const commas = s.split(",").length - 1;
    const after = s.length - lastComma - 1;
    // `1,234` / `1,234,567` = thousands; `12,34` / `0,5` = decimal comma.
    s = commas > 1 || after === 3 ? s.replace(/,/g, "") : s.replace(",", ".");
  }
  const m = PLAIN_DECIMAL.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const sign = (m[1] === "-") !== negative ? "-" : "";
  const intPart = (m[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const frac = m[3] ?? "";
  const out = frac ? `${intPart}.${frac}` : intPart;
  return /^0(\.0*)?$/.test(out) ? out : sign + out;
}

/**
 * `"-12.345"` with exponent 2 → -1235. Works on the digits as text; rounds half away from zero when
 * the value has more decimals than the currency (fee estimates sometimes do). Throws on non-numbers.
 */
export function decimalToMinorUnits(raw: string, exponent = 2): number {
  const norm = normaliseDecimal(raw);
  if (norm === null) throw new RangeError(`not a decimal amount: "${raw}"`);
  const negative = norm.startsWith("-");
  const [intPart = "0", frac = ""] = (negative ? norm.slice(1) : norm).split(".");
  const kept = frac.padEnd(exponent, "0").slice(0, exponent);
  let units = BigInt(intPart + kept);
  const nextDigit = frac.charCodeAt(exponent) - 48; // NaN when no more digits
  if (nextDigit >= 5) units += 1n;
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount out of range: "${raw}"`);
  const n = Number(units);
  return negative && n !== 0 ? -n : n;
}

/** JSON money (`{CurrencyCode, CurrencyAmount}` or `{CurrencyCode, Amount}`) → minor units, via the number's shortest decimal text. */
export function amountToMinorUnits(amount: number | string, currency?: string | null): number {
  const text = typeof amount === "number" ? numberToPlainString(amount) : amount;
  return decimalToMinorUnits(text, currencyExponent(currency));
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // 1e-7 and friends: toFixed(20) is exact enough for anything that rounds to a minor unit.
  return n.toFixed(20);
}

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;

/** `"12"`, `"-3"`, `"4.0"` → integer; anything else → null. */
export function parseInteger(raw: string): number | null {
  const s = raw.trim().replace(/,(?=\d{3}\b)/g, "");
  if (!INTEGER.test(s)) return null;
  const n = Number.parseInt(s, 10);
  return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : null;
}

export function parseBoolean(raw: string): boolean | null {
  const s = raw.trim().toLowerCase();
  if (["yes", "y", "true", "t", "1"].includes(s)) return true;
  if (["no", "n", "false", "f", "0"].includes(s)) return false;
  return null;
}

/** Order of day and month in slash-separated dates; dotted dates are always day-first, ISO year-first. */
export type SlashDateOrder = "MDY" | "DMY";

const ZONE_OFFSETS_MIN: Record<string, number> = {
  Z: 0, UTC: 0, GMT: 0, UT: 0,
  PST: -480, PDT: -420, MST: -420, MDT: -360, CST: -360, CDT: -300, EST: -300, EDT: -240,
  BST: 60, CET: 60, CEST: 120, IST: 330, JST: 540, AEST: 600, AEDT: 660,
};

const DATE_PART = String.raw`(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})-(\d{1,2})-(\d{4})`;
const TIME_PART = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(AM|PM)?)?`;
const ZONE_PART = String.raw`\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{1,4})?`;
const DATE_TIME = new RegExp(`^(?:${DATE_PART})${TIME_PART}${ZONE_PART}$`, "i");

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  offsetMin: number | null;
}

function parseParts(raw: string, slashOrder: SlashDateOrder): Parts | null {
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return null;
  return partsOf(m, slashOrder);
}

function partsOf(m: RegExpExecArray, slashOrder: SlashDateOrder): Parts | null {
  let y: number, mo: number, d: number;
  if (m[1]) [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  else if (m[4]) [d, mo, y] = [+m[4]!, +m[5]!, +m[6]!];
  else if (m[7]) {
    const a = +m[7]!, b = +m[8]!;
    [mo, d] = slashOrder === "MDY" ? [a, b] : [b, a];
    y = +m[9]!;
  } else [d, mo, y] = [+m[10]!, +m[11]!, +m[12]!];
  let h = m[13] ? +m[13]! : 0;
  const mi = m[14] ? +m[14]! : 0;
  const s = m[15] ? +m[15]! : 0;
  const ms = m[16] ? Math.floor(+`0.${m[16]}` * 1000) : 0;
  const ampm = m[17]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === "PM" ? 12 : 0);
  }
  let offsetMin: number | null = null;
  const zone = m[18];
  if (zone) {
    const z = zone.toUpperCase();
    const num = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
    if (num) offsetMin = (num[1] === "-" ? -1 : 1) * (+num[2]! * 60 + +(num[3] ?? "0"));
    else if (z in ZONE_OFFSETS_MIN) offsetMin = ZONE_OFFSETS_MIN[z]!;
    else return null;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  // Reject 31/02 and friends: the date must survive a round trip.
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return { y, mo, d, h, mi, s: Math.min(s, 59), ms, offsetMin };
}

/**
 * A date-time cell → UTC ISO string (`2026-07-06T07:00:00.000Z`). A cell without a zone is read as
 * UTC; a date alone is midnight UTC.
 */
export function parseDateTime(raw: string, slashOrder: SlashDateOrder = "MDY"): string | null {
  return memo(dateTimeCache, raw, slashOrder, parseDateTimeUncached);
}

function parseDateTimeUncached(raw: string, slashOrder: SlashDateOrder): string | null {
  const p = parseParts(raw, slashOrder);
  if (!p) return null;
  const ms = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms) - (p.offsetMin ?? 0) * 60_000;
  return new Date(ms).toISOString();
}

/** A calendar-date cell (ledger `Date`) → `YYYY-MM-DD`, the day as printed (no zone shift). */
export function parseCalendarDate(raw: string, slashOrder: SlashDateOrder = "MDY"): string | null {
  return memo(calendarDateCache, raw, slashOrder, parseCalendarDateUncached);
}

function parseCalendarDateUncached(raw: string, slashOrder: SlashDateOrder): string | null {
  const s = raw.trim();
  // MM/YYYY: ledger summary with MONTHLY aggregation → first of the month.
  const month = /^(\d{1,2})\/(\d{4})$/.exec(s);
  if (month) {
    const mo = +month[1]!;
    return mo >= 1 && mo <= 12 ? `${month[2]}-${String(mo).padStart(2, "0")}-01` : null;
  }
  // YYYY-MM: storage-fee month of charge.
  const isoMonth = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (isoMonth) {
    const mo = +isoMonth[2]!;
    return mo >= 1 && mo <= 12 ? `${isoMonth[1]}-${String(mo).padStart(2, "0")}-01` : null;
  }
  const p = parseParts(s, slashOrder);
  if (!p) return null;
  return `${String(p.y).padStart(4, "0")}-${String(p.mo).padStart(2, "0")}-${String(p.d).padStart(2, "0")}`;
}

// Reports repeat the same few thousand dates across millions of rows: remember recent answers.
const MEMO_LIMIT = 20_000;
const dateTimeCache = new Map<string, string | null>();
const calendarDateCache = new Map<string, string | null>();

function memo(
  cache: Map<string, string | null>,
  raw: string,
  slashOrder: SlashDateOrder,
  compute: (raw: string, slashOrder: SlashDateOrder) => string | null,
): string | null {
  const key = slashOrder === "MDY" ? raw : `${raw}\u0000D`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute(raw, slashOrder);
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}
