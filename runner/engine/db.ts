// The engine's database primitives, with no engine types: registry.ts and context.ts both use them
// without importing each other.
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "../../lib/generated/prisma/client";

export type Tx = Prisma.TransactionClient;

/** The runner's own client over the shared schema (the runner is a separate program: no app code). */
export function createRunnerDb(databaseUrl: string, max: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
}

/** Prisma needs JsonNull to store a JSON null (a plain null means SQL NULL). */
export function jsonValue(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}

const RETRYABLE_TX_CODES = new Set(["40001", "40P01", "P2034"]);

/** An interactive transaction, retried on serialization failures and deadlocks. */
export async function withTx<T>(db: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(fn, { maxWait: 60_000, timeout: 60_000 });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      const message = String((error as Error).message ?? "");
      const retryable = RETRYABLE_TX_CODES.has(code) || /deadlock detected|could not serialize/.test(message);
      if (!retryable || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}
