// Money as the seller reads it: "$1,234.50" in the claim's currency.
const formats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: number | null | undefined, currency = "USD", options: { compact?: boolean } = {}): string {
  if (amount == null || !Number.isFinite(amount)) return "—";
  const key = `${currency}:${options.compact ? "c" : ""}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-US", { style: "currency", currency, ...(options.compact ? { notation: "compact", maximumFractionDigits: 1 } : {}) });
    } catch {
      format = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
    }
    formats.set(key, format);
  }
  return format.format(amount);
}

export function formatCount(n: number | null | undefined): string {
  return n == null ? "—" : new Intl.NumberFormat("en-US").format(n);
}
