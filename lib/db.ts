// The Prisma client, built once per process with the PostgreSQL driver adapter (Prisma 7 needs no
// native engine). In development it is cached on globalThis so hot reload does not open new pools.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;

export function createPrismaClient(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  // DATABASE_JIT (lib/env.ts; read raw here, since scripts build clients without the app's full env).
  // JIT compilation of the detection queries took seconds per query on a PostgreSQL 15 server (a test
  // file of eight rule runs: 49 s with it, 2.3 s without). A startup option, so every connection has it
  // from its first query; the embedded PGlite has no JIT and ignores it. A pooler that refuses startup
  // options (PgBouncer without `ignore_startup_parameters = options`) needs DATABASE_JIT=server and
  // `ALTER DATABASE ... SET jit = off` instead.
  const jitOff = process.env.DATABASE_JIT !== "server";
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10, ...(jitOff ? { options: "-c jit=off" } : {}) }) });
}

const cache = globalThis as unknown as { __prisma?: PrismaClient };

function instance(): PrismaClient {
  if (!cache.__prisma) {
    const url = env().DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded database) or set DATABASE_URL.");
    }
    cache.__prisma = createPrismaClient(url);
  }
  return cache.__prisma;
}

/** The app's client, created on first use so importing this module never needs a database. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = instance();
    const value = Reflect.get(client, property, client) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});
