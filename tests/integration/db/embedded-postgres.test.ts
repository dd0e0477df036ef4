import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/scripts/db/embedded-postgres";
import { applyMigrations } from "@/scripts/db/schema-engine";
import { createPrismaClient } from "@/lib/db";

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

  it("keeps concurrent Prisma transactions and queries from different clients intact", async () => {
    const fresh = await startEmbeddedPostgres({ dataDir: "memory://" });
    await applyMigrations(fresh.url);
    const clients = [createPrismaClient(fresh.url, { max: 4 }), createPrismaClient(fresh.url, { max: 4 })];
    let ok = 0;
    const failures: string[] = [];
    const work = async (client: (typeof clients)[number], n: number) => {
      for (let i = 0; i < 60; i++) {
        try {
          if (n % 2 === 0) {
            const [row] = await client.$transaction(async (tx) => {
              await tx.user.findMany({ where: { id: `u${n}` } });
              return tx.$queryRaw<{ sum: number; tag: string }[]>`SELECT ${n}::int + ${i}::int AS sum, ${`t${n}`}::text AS tag`;
            });
            if (row!.sum !== n + i || row!.tag !== `t${n}`) failures.push(`wrong row ${JSON.stringify(row)}`);
          } else {
            await client.sellerConnection.findMany({ where: { id: { in: ["a", "b", String(n)] } } });
          }
          ok++;
        } catch (error) {
          failures.push((error as Error).message.split("\n").pop()!);
        }
      }
    };
    await Promise.all([0, 1, 2, 3].flatMap((n) => [work(clients[0]!, n), work(clients[1]!, n + 4)]));
    await Promise.all(clients.map((client) => client.$disconnect()));
    await fresh.stop();
    expect(failures.slice(0, 3)).toEqual([]);
    expect(ok).toBe(8 * 60);
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
