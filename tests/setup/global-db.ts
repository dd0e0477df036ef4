// Vitest global setup: one freshly migrated database for the run. By default an in-memory embedded
// PostgreSQL (PGlite); with DATABASE_URL set, a new throwaway database on that server, dropped at the
// end, so a real server's existing data is never touched. Tests isolate themselves by creating their
// own users and sellers (every query is tenant-scoped anyway).
import { applyMigrations } from "../../scripts/db/schema-engine";
import { createEmbeddedDatabase, createServerDatabase } from "../support/own-database";

export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  let url: string;
  let teardown: () => Promise<void>;
  if (serverUrl) {
    ({ url, close: teardown } = await createServerDatabase(serverUrl));
    process.env.TEST_DATABASE_KIND = "postgresql";
  } else {
    ({ url, close: teardown } = await createEmbeddedDatabase());
    process.env.TEST_DATABASE_KIND = "pglite";
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
