// How findings and set-asides write numbers for a seller.
import { currencyExponent } from "../amazon/report-values";

/** Integer minor units as a decimal amount with its currency: 1234 USD → "12.34 USD", 500 JPY → "500 JPY". */
export function money(minor: number, currency: string | null | undefined): string {
  const exponent = currencyExponent(currency);
  return `${(minor / 10 ** exponent).toFixed(exponent)}${currency ? ` ${currency}` : ""}`;
}

export const unitsText = (n: number): string => `${n} unit${n === 1 ? "" : "s"}`;
