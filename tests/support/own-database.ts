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

export async function useOwnDatabase(): Promise<OwnDatabase> {
  const shared = process.env.DATABASE_URL;
  let own: OwnDatabase;
  if (process.env.TEST_DATABASE_KIND === "postgresql" && shared) {
    const name = `fba_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: shared });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(shared);
    url.pathname = `/${name}`;
    own = {
      url: url.toString(),
      async close() {
        const dropper = new pg.Client({ connectionString: shared });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropper.end();
      },
    };
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 50 });
    own = { url: embedded.url, close: () => embedded.stop() };
  }
  await applyMigrations(own.url);
  process.env.DATABASE_URL = own.url;
  return own;
}
