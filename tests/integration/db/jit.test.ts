// The app's connections run with PostgreSQL's JIT compiler off (lib/db.ts, DATABASE_JIT): on a
// PostgreSQL 15 server JIT compilation made each detection query seconds slower. Every connection of
// the pool has it off, not only the first; DATABASE_JIT=server leaves the server's own setting. On a
// PostgreSQL server only (CI's second `npm test`): the embedded PGlite has no JIT, and its one backend
// session is shared by every connection, so neither a per-connection setting nor its source shows there.
import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createPrismaClient, type Db } from "@/lib/db";

const url = () => process.env.DATABASE_URL!;
const clients: Db[] = [];
const saved = process.env.DATABASE_JIT;

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
  if (saved === undefined) delete process.env.DATABASE_JIT;
  else process.env.DATABASE_JIT = saved;
});

/** `SHOW jit` on `n` connections held at once (an interactive transaction pins each one). */
async function jitOnConnections(client: Db, n: number): Promise<string[]> {
  const seen: string[] = [];
  let release!: () => void;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const all = Array.from({ length: n }, () =>
    client.$transaction(async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ jit: string }[]>("SHOW jit");
      seen.push(row!.jit);
      if (seen.length === n) release();
      await hold;
    }, { timeout: 20_000, maxWait: 20_000 }),
  );
  await Promise.all(all);
  return seen;
}

const onServer = process.env.TEST_DATABASE_KIND === "postgresql";

describe.runIf(onServer)("the app's database connections on a PostgreSQL server", () => {
  it("have JIT off on every pooled connection by default", async () => {
    delete process.env.DATABASE_JIT;
    const client = createPrismaClient(url(), { max: 3 });
    clients.push(client);
    expect(await jitOnConnections(client, 3)).toEqual(["off", "off", "off"]);
  });

  it("keep the server's own setting with DATABASE_JIT=server", async () => {
    const plain = new pg.Client({ connectionString: url() });
    await plain.connect();
    const server = (await plain.query<{ jit: string }>("SHOW jit")).rows[0]!.jit;
    await plain.end();
    process.env.DATABASE_JIT = "server";
    const client = createPrismaClient(url(), { max: 1 });
    clients.push(client);
    const [row] = await client.$queryRawUnsafe<{ setting: string; source: string }[]>("SELECT setting, source FROM pg_settings WHERE name = 'jit'");
    expect(row!.setting).toBe(server);
    expect(row!.source).not.toBe("client");
  });
});
