// Zod shapes shared by every SP-API model. Objects are loose: real payloads carry keys the models lack.
import { z } from "zod";

export const errorEntrySchema = z.looseObject({
  code: z.string(),
  message: z.string().default(""),
  details: z.string().nullish().transform((d) => d ?? undefined),
});

export const errorListSchema = z.looseObject({ errors: z.array(errorEntrySchema) });

/** Amazon sends ISO 8601 date-times; keep them as strings but insist they parse. */
export const dateTimeString = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO 8601 date-time");

/** v0 money is `{CurrencyCode, CurrencyAmount}` with a JSON number (BigDecimal); some payloads send strings. */
export const currencySchema = z.looseObject({
  CurrencyCode: z.string().nullish(),
  CurrencyAmount: z.union([z.number(), z.string()]).nullish(),
});
export type Currency = z.infer<typeof currencySchema>;

/** Orders v0 money: `{CurrencyCode, Amount}` with a string amount. */
export const moneySchema = z.looseObject({
  CurrencyCode: z.string().nullish(),
  Amount: z.string().nullish(),
});
export type Money = z.infer<typeof moneySchema>;
