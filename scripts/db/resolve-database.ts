// Resolves the database a command should use: DATABASE_URL when set (a real server), otherwise the
// embedded PostgreSQL persisted under .data/, started for the duration of the command.
import path from "node:path";
import { dataDir, env } from "../../lib/env";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

export interface ResolvedDatabase {
  url: string;
  embedded?: EmbeddedPostgres;
  close(): Promise<void>;
}

export function embeddedDataDir(): string {
  return path.join(dataDir(), "pgdata");
}

export async function resolveDatabase(options: { port?: number } = {}): Promise<ResolvedDatabase> {
  const url = env().DATABASE_URL;
  if (url) return { url, close: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir(), port: options.port ?? 0 });
  return { url: embedded.url, embedded, close: () => embedded.stop() };
}
