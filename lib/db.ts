// The Prisma client, built once per process with the PostgreSQL driver adapter (Prisma 7 needs no
// native engine). In development it is cached on globalThis so hot reload does not open new pools.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;

export function createPrismaClient(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 }) });
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
