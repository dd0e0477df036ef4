// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database when
// it is unset. Idempotent; keeps the same `_prisma_migrations` bookkeeping as `prisma migrate deploy`.
import { resolveDatabase } from "@/scripts/db/resolve-database";
import { applyMigrations } from "@/scripts/db/schema-engine";
import { redactUrl } from "@/scripts/db/redact-url";

const database = await resolveDatabase();
try {
  const applied = await applyMigrations(database.url);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${redactUrl(database.url)}: ${applied.join(", ")}`
      : `Database ${redactUrl(database.url)} is up to date.`,
  );
} finally {
  await database.close();
}
