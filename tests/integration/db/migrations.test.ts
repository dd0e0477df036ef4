import { describe, expect, it } from "vitest";
import pg from "pg";
import { applyMigrations, diffMigrationsToSchema, readMigrationsList } from "@/scripts/db/schema-engine";
import { startEmbeddedPostgres } from "@/scripts/db/embedded-postgres";

describe("migrations", () => {
  it("leaves no drift between prisma/schema and prisma/migrations", async () => {
    const scratch = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 4 });
    try {
      const sql = await diffMigrationsToSchema(scratch.url);
      // The engine answers an empty diff with a comment only; any statement means drift.
      const statements = sql.split("\n").filter((line) => line.trim() && !line.trim().startsWith("--"));
      expect(statements, `schema.prisma changed without a migration; run npm run db:diff -- --name <name>:\n${sql}`).toEqual([]);
    } finally {
      await scratch.stop();
    }
  });

  it("records every migration in _prisma_migrations and applies nothing on a second run", async () => {
    const url = process.env.DATABASE_URL!;
    expect(await applyMigrations(url)).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null }>(
        `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`,
      );
      const names = readMigrationsList().migrationDirectories.map((dir) => dir.path);
      expect(rows.map((row) => row.migration_name)).toEqual(names);
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("runs against the database kind the suite was started with", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await client.connect();
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    await client.end();
    const expected = process.env.TEST_DATABASE_KIND === "pglite" ? /PGlite/ : /^PostgreSQL (?!.*PGlite)/;
    expect(rows[0]!.version).toMatch(expected);
  });
});
