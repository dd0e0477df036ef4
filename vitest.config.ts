import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Every test file, as before the split into projects.
const allTests = ["tests/**/*.test.ts", "lib/**/*.test.ts", "inngest/**/*.test.ts", "runner/**/*.test.ts", "sandbox/**/*.test.ts"];
const notTests = ["tests/e2e/**", "node_modules/**"];

// Under tests/integration/ but starting no database, so in `unit`: the client against the sandbox
// over HTTP, and the launcher refusing a taken port before it starts anything.
const noDatabase = ["tests/integration/amazon/sp-api-sandbox.test.ts", "tests/integration/launcher.test.ts"];
const underIntegration = readdirSync(fileURLToPath(new URL("./tests/integration", import.meta.url)), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => `tests/integration/${file.replaceAll("\\", "/")}`);
// The tests that need the test database (tests/setup/global-db.ts: embedded PGlite, or a throwaway
// database on the server in DATABASE_URL): tests/integration/ (a new file there is one of them) and
// the two elsewhere that query it. Every other test file is `unit` and runs with no database.
const databaseTests = [...underIntegration.filter((file) => !noDatabase.includes(file)), "lib/runs/run-queries.test.ts", "runner/conformance.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // `npm test` runs both projects; `npm run test:unit` / `npm run test:integration` one of them.
    // unit = every test file minus the database ones, so each file is in exactly one project.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: allTests,
          exclude: [...notTests, ...databaseTests],
          // Hides the database that `npm test` sets up for `integration`, so a unit test that needs
          // one fails under `npm test` too, not only under `npm run test:unit`.
          setupFiles: ["tests/setup/no-database.ts"],
        },
      },
      {
        extends: true,
        test: { name: "integration", include: databaseTests, exclude: notTests, globalSetup: ["tests/setup/global-db.ts"] },
      },
    ],
  },
});
