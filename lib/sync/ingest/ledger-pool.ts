// The ledger writer's own small pg pool (COPY needs a plain pg connection; Prisma's adapter has no
// COPY): one per database URL and process, built on first use. It also learns, once, whether the
// server is the embedded database (PGlite behind scripts/db/pglite-server.ts), whose wire front cannot
// carry COPY ... FROM STDIN.
import pg from "pg";

export interface LedgerPool {
  pool: pg.Pool;
  /** Resolves to true when the server is PGlite (`SELECT version()` names it). */
  embedded(): Promise<boolean>;
}

// Every writer of a process shares these: a report ingest holds two while it stages one batch and
// stores the one before, and the financial-events lanes write a page each. With three the lanes can queue
// behind the big report batches (bench:sync); eight leave room on a default server (100 connections)
// for several app instances and Prisma's own pool.
const MAX_CONNECTIONS = 8;

const cache = globalThis as unknown as { __ledgerPools?: Map<string, LedgerPool> };

export function ledgerPool(databaseUrl: string): LedgerPool {
  cache.__ledgerPools ??= new Map();
  let entry = cache.__ledgerPools.get(databaseUrl);
  if (!entry) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: MAX_CONNECTIONS, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle connection the server drops must not crash the process; the next checkout reconnects.
    pool.on("error", () => {});
    let kind: Promise<boolean> | undefined;
    entry = {
      pool,
      embedded() {
        kind ??= pool.query<{ version: string }>("SELECT version() AS version").then(
          (r) => /\bPGlite\b/i.test(r.rows[0]?.version ?? ""),
          (error: unknown) => {
            kind = undefined; // ask again next time
            throw error;
          },
        );
        return kind;
      },
    };
    cache.__ledgerPools.set(databaseUrl, entry);
  }
  return entry;
}

/** Closes every ledger pool of this process (scripts and tests that end on their own). */
export async function closeLedgerPools(): Promise<void> {
  const pools = [...(cache.__ledgerPools?.values() ?? [])];
  cache.__ledgerPools?.clear();
  await Promise.all(pools.map((p) => p.pool.end()));
}
