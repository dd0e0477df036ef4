// Vitest global setup: one freshly migrated database for the run. By default an in-memory embedded
// PostgreSQL (PGlite); with DATABASE_URL set, a new throwaway database on that server, dropped at the
// end, so a real server's existing data is never touched. Tests isolate themselves by creating their
// own users and sellers (every query is tenant-scoped anyway).
import pg from "pg";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../../scripts/db/embedded-postgres";
import { applyMigrations } from "../../scripts/db/schema-engine";

export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  let url: string;
  let teardown: () => Promise<void>;
  if (serverUrl) {
    const name = `fba_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    process.env.TEST_DATABASE_KIND = "postgresql";
    teardown = async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    };
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 50 });
    url = embedded.url;
    process.env.TEST_DATABASE_KIND = "pglite";
    teardown = () => embedded.stop();
  }
  await applyMigrations(url);
  // Test workers are forked after this runs and inherit the environment.
  process.env.DATABASE_URL = url;
  process.env.DATA_DIR ??= ".data/test";
  // Route tests send many requests from one (unknown) address: the API and sign-up limits stay out of
  // their way; the limit tests set their own.
  process.env.API_RATE_LIMIT_MAX ??= "1000000";
  process.env.SIGNUP_RATE_LIMIT_MAX ??= "1000000";
  return teardown;
}
