// The embedded PostgreSQL: PGlite (PostgreSQL compiled to wasm) persisted on disk and served on a
// loopback TCP port, so the app, migrations, the runner and `psql` all speak to it through one
// ordinary postgresql:// URL, exactly as they would to a real server.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { isAddressInUse, PortInUseError } from "../port-in-use";
import { PGliteServer } from "./pglite-server";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the database files; `memory://` keeps it in memory (tests). */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PGlite is one session; this many client connections take turns on it (see pglite-server.ts). */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  if (!options.dataDir.startsWith("memory://")) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGliteServer(db, { host, port: options.port ?? 0, maxConnections: options.maxConnections ?? 100 });
  let port: number;
  try {
    port = await server.start();
  } catch (error) {
    await db.close();
    if (isAddressInUse(error)) throw new PortInUseError(options.port ?? 0, "embedded PostgreSQL");
    throw error;
  }
  return {
    // PGlite accepts any user and password; `postgres` is its one database.
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
