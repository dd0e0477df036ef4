// A database of the test file's own, for tests that start an embedded Inngest runner: one runner works
// a database at a time, and test files run in parallel. Same kind as the run's test database (a new
// in-memory PGlite, or a new database on the PostgreSQL server of DATABASE_URL), migrated, and set as
// DATABASE_URL before the app's modules load.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../../scripts/db/embedded-postgres";
import { applyMigrations } from "../../scripts/db/schema-engine";

export interface OwnDatabase {
  url: string;
  close(): Promise<void>;
}

/** A new, empty database on the server of `serverUrl` (the same kind the test run uses), dropped by close(). */
export async function createServerDatabase(serverUrl: string): Promise<OwnDatabase> {
  const name = `fba_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async close() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A new in-memory embedded database (PGlite on its own loopback port), stopped by close(). */
export async function createEmbeddedDatabase(): Promise<OwnDatabase> {
  const embedded = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 50 });
  return { url: embedded.url, close: () => embedded.stop() };
}

export async function useOwnDatabase(): Promise<OwnDatabase> {
  const shared = process.env.DATABASE_URL;
  const own = process.env.TEST_DATABASE_KIND === "postgresql" && shared ? await createServerDatabase(shared) : await createEmbeddedDatabase();
  await applyMigrations(own.url);
  process.env.DATABASE_URL = own.url;
  return own;
}
