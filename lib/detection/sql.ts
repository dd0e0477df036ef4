// SQL building blocks the rules share: the incremental scope filter, normalised codes, money in
// Finances JSON, and FIFO allocation of offsets (found units, reimbursements) to losses, all in the
// database (set-based), never row by row in JavaScript.
import { Prisma } from "../generated/prisma/client";
import { currencyExponent } from "../amazon/report-values";
import type { RuleContext, ScopeDimension } from "./types";

/** An identifier of ours (a CTE or column name we wrote), never data. */
export const ident = (name: string): Prisma.Sql => Prisma.raw(name);

/**
 * The incremental filter: true in a full run; in an incremental one, the row matches when any of the
 * given columns holds a key the new rows touched. A rule's query must keep every candidate this lets
 * through (the runner replaces set-asides by the same test over their identifiers).
 */
export function inScope(ctx: RuleContext, columns: Partial<Record<ScopeDimension, Prisma.Sql>>): Prisma.Sql {
  if (!ctx.scope) return Prisma.sql`TRUE`;
  const parts: Prisma.Sql[] = [];
  for (const [dimension, column] of Object.entries(columns) as [ScopeDimension, Prisma.Sql][]) {
    const keys = ctx.scope[dimension];
    if (keys.length > 0) parts.push(Prisma.sql`${column} = ANY(${keys}::text[])`);
  }
  return parts.length > 0 ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : Prisma.sql`FALSE`;
}

/** A reimbursement reason as a comparable key: "Lost_Warehouse", "lost warehouse" → "lostwarehouse". */
export const reasonKey = (column: Prisma.Sql): Prisma.Sql => Prisma.sql`lower(regexp_replace(COALESCE(${column}, ''), '[^A-Za-z]', '', 'g'))`;

/** A ledger event type as a comparable key: "Adjustments" → "adjustments". */
export const eventKey = (column: Prisma.Sql): Prisma.Sql => Prisma.sql`lower(btrim(COALESCE(${column}, '')))`;

/** A ledger reason code, trimmed and upper-cased. */
export const codeKey = (column: Prisma.Sql): Prisma.Sql => Prisma.sql`upper(btrim(COALESCE(${column}, '')))`;

/** Currencies whose minor unit is not 1/100, from the report parser's own table. */
const CANDIDATE_CURRENCIES = ["JPY", "KRW", "CLP", "ISK", "VND", "HUF", "TWD", "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"];

/** 10^exponent of a currency code expression, as numeric: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorFactor(currency: Prisma.Sql): Prisma.Sql {
  const cases = CANDIDATE_CURRENCIES.filter((c) => currencyExponent(c) !== 2).map((c) => Prisma.sql`WHEN ${c} THEN ${10 ** currencyExponent(c)}::numeric`);
  if (cases.length === 0) return Prisma.sql`100::numeric`;
  return Prisma.sql`(CASE upper(COALESCE(${currency}, '')) ${Prisma.join(cases, " ")} ELSE 100::numeric END)`;
}

/**
 * Sum, in minor units, of the amounts of a Finances list (ItemChargeList, ItemFeeAdjustmentList, ...)
 * whose type is one of `types`: `list` is a jsonb array expression of { <typeField>, <amountField>:
 * { CurrencyCode, CurrencyAmount } }. Signed as Amazon sends it.
 */
export function jsonMoneySum(list: Prisma.Sql, typeField: "ChargeType" | "FeeType", amountField: "ChargeAmount" | "FeeAmount", types: readonly string[]): Prisma.Sql {
  const amount = Prisma.raw(`'${amountField}'`);
  const type = Prisma.raw(`'${typeField}'`);
  return Prisma.sql`COALESCE((
    SELECT sum(round((m.j->${amount}->>'CurrencyAmount')::numeric * ${minorFactor(Prisma.sql`m.j->${amount}->>'CurrencyCode'`)}))
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${list}) = 'array' THEN ${list} ELSE '[]'::jsonb END) AS m(j)
    WHERE m.j->>${type} = ANY(${[...types]}::text[])
  ), 0)`;
}

/** The first currency code of a Finances list (the item's currency). */
export function jsonCurrency(list: Prisma.Sql, amountField: "ChargeAmount" | "FeeAmount"): Prisma.Sql {
  const amount = Prisma.raw(`'${amountField}'`);
  return Prisma.sql`(
    SELECT m.j->${amount}->>'CurrencyCode'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${list}) = 'array' THEN ${list} ELSE '[]'::jsonb END) AS m(j)
    WHERE m.j->${amount}->>'CurrencyCode' IS NOT NULL LIMIT 1
  )`;
}

/**
 * FIFO allocation (detection.md §3 allocateFIFO) as CTEs named `<p>_l`, `<p>_o`, `<p>_f`, `<p>_alloc`.
 *
 * `losses` must be a CTE with (loss_id text, grp text, ord int, tb text, units int): losses of a group
 * ordered by `ord` (days) then `tb`. `offsets` a CTE with (off_id text, grp text, ord int, tb text,
 * units int, covers_until int): an offset may cover losses of its group with ord <= covers_until.
 * Offsets are spent in covers_until order, each on the oldest open loss it may cover, so one offset
 * never cancels two losses. With losses filled oldest first the filled units always form a prefix of
 * the group's cumulative loss, and after offset j the filled total is
 *   F_j = min(F_(j-1) + units_j, L(j))   (L(j) = cumulative loss of the losses j may cover)
 *       = O_j + min(0, min over i <= j of (L(i) - O_i))   (O = cumulative offset units),
 * a running minimum. Offset j fills [F_(j-1), F_j) of the cumulative loss axis; `<p>_alloc` pairs it
 * with the losses whose range [cum - units, cum) it overlaps: (loss_id, off_id, units). `<p>_f` keeps
 * per offset `used` = F_j - F_(j-1) (what is left of it can cover something else).
 */
export function fifoCtes(prefix: string, losses: string, offsets: string): Prisma.Sql {
  const p = prefix;
  return Prisma.raw(`
  ${p}_l AS (
    SELECT l.*, SUM(l.units) OVER (PARTITION BY l.grp ORDER BY l.ord, l.tb ROWS UNBOUNDED PRECEDING) AS cum
    FROM ${losses} l
  ),
  -- L(j): the cumulative loss up to the last loss an offset may cover, as a running maximum over losses
  -- and offsets merged in one order (a loss on an offset's covers_until day sorts before it).
  ${p}_ev AS (
    SELECT l.grp, l.ord AS k, 0 AS kind, l.tb, l.cum, NULL::text AS off_id FROM ${p}_l l
    UNION ALL
    SELECT o.grp, o.covers_until, 1, o.tb, NULL::bigint, o.off_id FROM ${offsets} o
  ),
  ${p}_lp AS (
    SELECT e.off_id, e.kind, COALESCE(MAX(e.cum) OVER (PARTITION BY e.grp ORDER BY e.k, e.kind, e.tb ROWS UNBOUNDED PRECEDING), 0) AS lp FROM ${p}_ev e
  ),
  ${p}_o AS (
    SELECT o.*,
      SUM(o.units) OVER (PARTITION BY o.grp ORDER BY o.covers_until, o.ord, o.tb ROWS UNBOUNDED PRECEDING) AS cum_off,
      x.lp
    FROM ${offsets} o JOIN ${p}_lp x ON x.kind = 1 AND x.off_id = o.off_id
  ),
  ${p}_f0 AS (
    SELECT o.*, o.cum_off + LEAST(0, MIN(o.lp - o.cum_off) OVER (PARTITION BY o.grp ORDER BY o.covers_until, o.ord, o.tb ROWS UNBOUNDED PRECEDING)) AS fa
    FROM ${p}_o o
  ),
  ${p}_f AS (
    SELECT f.*, COALESCE(LAG(f.fa) OVER (PARTITION BY f.grp ORDER BY f.covers_until, f.ord, f.tb), 0) AS fb,
      (f.fa - COALESCE(LAG(f.fa) OVER (PARTITION BY f.grp ORDER BY f.covers_until, f.ord, f.tb), 0))::int AS used
    FROM ${p}_f0 f
  ),
  ${p}_alloc AS (
    SELECT l.loss_id, o.off_id, (LEAST(o.fa, l.cum) - GREATEST(o.fb, l.cum - l.units))::int AS units
    FROM ${p}_l l
    JOIN ${p}_f o ON o.grp = l.grp AND o.fa > l.cum - l.units AND o.fb < l.cum
  )`);
}

/**
 * FIFO allocation within a window on both sides, as CTEs `<p>_l`, `<p>_o`, `<p>_r` (recursive) and
 * `<p>_alloc`: like fifoCtes, but an offset may cover only the losses of its group with
 * covers_from <= ord <= covers_until (`offsets` carries both; each must not decrease in the order
 * offsets are spent, covers_until then ord then tb). For payouts that settle a loss within a known time
 * after it (Amazon's inbound reconciliation: up to 60 days after receipt), so a late payout is not
 * spent on an old loss it cannot be for. Losses older than an offset's window are skipped by it and by
 * every later one. After offset j the filled position on the cumulative loss axis is
 *   F_j = min(max(F_(j-1), A(j)) + units_j, L(j)),
 * A(j) / L(j) the cumulative loss before covers_from / up to covers_until (running maxima over merged
 * events, as in fifoCtes); the recursion steps through each group's offsets, all groups at once.
 * The query using it must start `WITH RECURSIVE`.
 */
export function windowedFifoCtes(prefix: string, losses: string, offsets: string): Prisma.Sql {
  const p = prefix;
  return Prisma.raw(`
  ${p}_l AS (
    SELECT l.*, SUM(l.units) OVER (PARTITION BY l.grp ORDER BY l.ord, l.tb ROWS UNBOUNDED PRECEDING) AS cum
    FROM ${losses} l
  ),
  ${p}_hi AS (
    SELECT e.off_id, e.kind, COALESCE(MAX(e.cum) OVER (PARTITION BY e.grp ORDER BY e.k, e.kind, e.tb ROWS UNBOUNDED PRECEDING), 0) AS lim
    FROM (
      SELECT l.grp, l.ord AS k, 0 AS kind, l.tb, l.cum, NULL::text AS off_id FROM ${p}_l l
      UNION ALL SELECT o.grp, o.covers_until, 1, o.tb, NULL::bigint, o.off_id FROM ${offsets} o
    ) e
  ),
  -- A loss on an offset's covers_from day is inside its window: the offset sorts before it.
  ${p}_lo AS (
    SELECT e.off_id, e.kind, COALESCE(MAX(e.cum) OVER (PARTITION BY e.grp ORDER BY e.k, e.kind, e.tb ROWS UNBOUNDED PRECEDING), 0) AS lim
    FROM (
      SELECT l.grp, l.ord AS k, 1 AS kind, l.tb, l.cum, NULL::text AS off_id FROM ${p}_l l
      UNION ALL SELECT o.grp, o.covers_from, 0, o.tb, NULL::bigint, o.off_id FROM ${offsets} o
    ) e
  ),
  ${p}_o AS (
    SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.grp ORDER BY o.covers_until, o.ord, o.tb) AS n, lo.lim AS lo_lim, hi.lim AS hi_lim
    FROM ${offsets} o
    JOIN ${p}_hi hi ON hi.kind = 1 AND hi.off_id = o.off_id
    JOIN ${p}_lo lo ON lo.kind = 0 AND lo.off_id = o.off_id
  ),
  ${p}_r AS (
    SELECT o.grp, o.n, o.off_id, o.lo_lim::bigint AS fb, GREATEST(o.lo_lim, LEAST(o.lo_lim + o.units, o.hi_lim))::bigint AS fa
    FROM ${p}_o o WHERE o.n = 1
    UNION ALL
    SELECT o.grp, o.n, o.off_id, GREATEST(r.fa, o.lo_lim)::bigint, GREATEST(r.fa, o.lo_lim, LEAST(GREATEST(r.fa, o.lo_lim) + o.units, o.hi_lim))::bigint
    FROM ${p}_r r JOIN ${p}_o o ON o.grp = r.grp AND o.n = r.n + 1
  ),
  ${p}_alloc AS (
    SELECT l.loss_id, o.off_id, (LEAST(o.fa, l.cum) - GREATEST(o.fb, l.cum - l.units))::int AS units
    FROM ${p}_l l
    JOIN ${p}_r o ON o.grp = l.grp AND o.fa > l.cum - l.units AND o.fb < l.cum
  )`);
}

/** Days since 2000-01-01 of a date expression: the integer `ord` FIFO orders by. */
export const dayNumber = (date: Prisma.Sql): Prisma.Sql => Prisma.sql`((${date})::date - DATE '2000-01-01')`;

/**
 * Runs a rule's query. The planner knows nothing of a CTE's size (it guesses one row) and would join
 * CTEs by nested loops, quadratic in the candidates; with nested loops disabled for the statement it
 * hashes or merges them instead (joins that can only be nested loops, LATERAL lookups by index, stay).
 */
export async function queryRows<T>(ctx: Pick<RuleContext, "db">, query: Prisma.Sql): Promise<T[]> {
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_nestloop = off`;
      return tx.$queryRaw<T[]>(query);
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}
