// The ledger writer's typed errors. None carries row contents or the database's own message (which
// quotes values: `invalid input syntax for type integer: "…"`, `Key (…)=(…) already exists`): only
// where it happened and PostgreSQL's error code, so they are safe to log.

export class LedgerIngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerIngestError";
  }
}

/** A row value the table cannot hold (wrong type, out of range, missing key value). Nothing was written. */
export class LedgerRowError extends LedgerIngestError {
  constructor(
    readonly table: string,
    readonly line: number,
    readonly column: string,
    readonly problem: string,
  ) {
    super(`${table} line ${line}: ${column} ${problem}`);
    this.name = "LedgerRowError";
  }
}

/** The database refused or lost a batch; the batch's transaction was rolled back (nothing of it is stored). */
export class LedgerWriteError extends LedgerIngestError {
  constructor(
    readonly table: string,
    readonly path: "copy" | "insert",
    readonly firstLine: number,
    readonly lastLine: number,
    /** PostgreSQL's SQLSTATE (`23503`, `22P02`, ...) or the driver's code (`ECONNRESET`), when known. */
    readonly code: string | undefined,
    readonly constraint: string | undefined,
    readonly column: string | undefined,
    what: string,
  ) {
    super(
      `storing lines ${firstLine}-${lastLine} in ${table} (${path}) failed: ${what}` +
        (code ? ` [${code}]` : "") +
        (constraint ? ` constraint ${constraint}` : "") +
        (column ? ` column ${column}` : ""),
    );
    this.name = "LedgerWriteError";
  }
}

interface PgErrorFields {
  code?: unknown;
  severity?: unknown;
  constraint?: unknown;
  column?: unknown;
  where?: unknown;
  message?: unknown;
}

/** What may be said of a database or driver error without quoting data. */
export function describeDatabaseError(error: unknown): { code?: string; constraint?: string; column?: string; what: string } {
  const e = (typeof error === "object" && error !== null ? error : {}) as PgErrorFields;
  const code = typeof e.code === "string" ? e.code : undefined;
  const constraint = typeof e.constraint === "string" ? e.constraint : undefined;
  let column = typeof e.column === "string" ? e.column : undefined;
  // COPY names the column in its context line ("COPY t, line 3, column c7: \"…\""): keep the name only.
  const where = typeof e.where === "string" ? /^COPY \S+, line \d+, column ([A-Za-z0-9_]+)/.exec(e.where) : null;
  if (!column && where) column = where[1];
  if (typeof e.severity === "string") return { code, constraint, column, what: `PostgreSQL ${e.severity.toLowerCase()} ${SQLSTATE_CLASS[code?.slice(0, 2) ?? ""] ?? "error"}` };
  // Not from the server (connection lost, pool closed, ...): the driver's own message names no data.
  const message = typeof e.message === "string" ? e.message.slice(0, 200) : String(error).slice(0, 200);
  return { code, what: message };
}

const SQLSTATE_CLASS: Record<string, string> = {
  "08": "connection exception",
  "22": "data exception",
  "23": "integrity constraint violation",
  "25": "invalid transaction state",
  "40": "transaction rollback",
  "42": "syntax error or access rule violation",
  "53": "insufficient resources",
  "54": "program limit exceeded",
  "57": "operator intervention",
  "58": "system error",
  XX: "internal error",
};
