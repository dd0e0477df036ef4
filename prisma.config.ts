// Prisma CLI configuration: where the schema folder and migrations live. The datasource URL comes
// from DATABASE_URL when the native CLI is used; the project's own scripts (scripts/db/*) pass it
// through a driver adapter instead, so they work without Prisma's native engines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/postgres" },
});
