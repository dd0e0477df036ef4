// Setup file of the `unit` Vitest project: unit tests run with no database. Under `npm test` the
// `integration` project's global setup (global-db.ts) puts the test database's URL into the
// environment every test worker inherits; unit workers drop it, so they behave as under
// `npm run test:unit`, where no database is started at all.
delete process.env.DATABASE_URL;
delete process.env.TEST_DATABASE_KIND;
