// `npm run db:diff -- --name <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that brings the migrations up to prisma/schema. Replays the migrations on a throwaway
// in-memory database, so it never touches a real one.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startEmbeddedPostgres } from "@/scripts/db/embedded-postgres";
import { diffMigrationsToSchema, migrationsDir } from "@/scripts/db/schema-engine";

const { values } = parseArgs({ options: { name: { type: "string" } } });
const name = z
  .string({ error: "--name is required, e.g. npm run db:diff -- --name add_sync_runs" })
  .regex(/^[a-z0-9_]+$/, "--name may hold lowercase letters, digits and underscores only")
  .safeParse(values.name);
if (!name.success) {
  console.error(name.error.issues[0]?.message);
  process.exit(2);
}

const scratch = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 4 });
try {
  const sql = await diffMigrationsToSchema(scratch.url);
  if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
    console.log("No changes: prisma/schema and prisma/migrations agree.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name.data}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await scratch.stop();
}
