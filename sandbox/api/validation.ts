import { z } from "zod";
import { zodToInvalidInput } from "../http/errors";
import { listParam } from "../http/respond";

export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodToInvalidInput(r.error);
  return r.data;
}

/** ISO-8601 date-time as Amazon accepts it (with Z or an offset, optional fraction). */
export const isoDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "must be an ISO 8601 date-time",
});

export const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => listParam(v as string | string[] | undefined), z.array(item).optional());

export const intParam = z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().optional());

export function ms(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}
