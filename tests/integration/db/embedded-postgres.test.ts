import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/database/embedded-postgres";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: "memory://" });
});
afterAll(() => server.stop());

describe("embedded PostgreSQL server", () => {
  it("serves an ordinary postgresql:// URL", async () => {
    expect(server.url).toMatch(/^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres/);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ answer: number }>("SELECT 6 * 7 AS answer");
    await client.end();
    expect(rows[0]!.answer).toBe(42);
  });

  it("keeps concurrent clients' parameterised queries apart", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 12 });
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const { rows } = await pool.query<{ v: string; w: string }>("SELECT $1::text AS v, $2::text AS w", [`a${i}`, `b${i}`]);
        return rows[0]!.v === `a${i}` && rows[0]!.w === `b${i}`;
      }),
    );
    await pool.end();
    expect(results.every(Boolean)).toBe(true);
  });

  it("gives a transaction the session until it ends, so others never see half of it", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 4 });
    await pool.query("CREATE TABLE IF NOT EXISTS pair (a int, b int)");
    const writer = await pool.connect();
    await writer.query("BEGIN");
    await writer.query("INSERT INTO pair VALUES (1, 0)");
    // A reader started mid-transaction waits for the session rather than seeing the first row alone.
    const read = pool.query<{ n: string }>("SELECT count(*) AS n FROM pair");
    await writer.query("INSERT INTO pair VALUES (2, 0)");
    await writer.query("COMMIT");
    writer.release();
    expect(Number((await read).rows[0]!.n)).toBe(2);
    await pool.end();
  });

  it("rolls back what a client that disconnects mid-transaction left open", async () => {
    const client = new pg.Client({ connectionString: server.url });
    client.on("error", () => {}); // the connection is cut on purpose below
    await client.connect();
    await client.query("CREATE TABLE IF NOT EXISTS orphan (x int)");
    await client.query("BEGIN");
    await client.query("INSERT INTO orphan VALUES (1)");
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const other = new pg.Client({ connectionString: server.url });
    await other.connect();
    const { rows } = await other.query<{ n: string }>("SELECT count(*) AS n FROM orphan");
    await other.end();
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
