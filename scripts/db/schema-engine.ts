// Prisma's own schema engine compiled to wasm, driven through a driver adapter. It creates and
// applies migrations with the same `_prisma_migrations` bookkeeping as `prisma migrate deploy`, on
// machines that cannot download Prisma's native engine. The shadow database it needs to replay
// migrations is a throwaway in-memory PGlite, so diffing works against embedded and real servers alike.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { startEmbeddedPostgres } from "./embedded-postgres";

const require = createRequire(import.meta.url);

export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const schemaDir = path.join(projectRoot, "prisma/schema");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");

type WasmModule = typeof import("@prisma/schema-engine-wasm");
type Engine = Awaited<ReturnType<WasmModule["SchemaEngine"]["new"]>>;

let wasmModule: Promise<WasmModule> | undefined;

/** The package ships a bundler build: load the glue, instantiate the wasm bytes ourselves, then start it. */
function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(gluePath)) as WasmModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return wasmModule;
}

export function readSchemaFiles(): { path: string; content: string }[] {
  return readdirSync(schemaDir)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => ({ path: path.join(schemaDir, name), content: readFileSync(path.join(schemaDir, name), "utf8") }));
}

export function readMigrationsList() {
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((name) => statSync(path.join(migrationsDir, name)).isDirectory())
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((dir) => {
      const file = path.join(migrationsDir, dir, "migration.sql");
      return {
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: "migration.sql is missing" },
        },
      };
    }),
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** Rows of a result that held `"char"` columns, with the positions of those columns. */
const charColumns = new WeakMap<object, number[]>();

/**
 * The engine's introspection reads catalog columns of PostgreSQL's one-byte `"char"` type (relkind,
 * contype, ...). @prisma/adapter-pg refuses that type, while the engine expects it as `Character`.
 * This client lets the adapter read those columns as text and remembers where they were, so the
 * adapter wrapper below can report them as `Character`. Only the schema engine uses it.
 */
class CatalogFriendlyClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    // pg.Pool#query calls the client in callback style; direct callers use the promise.
    if (typeof callback === "function") {
      args[last] = (error: Error | null, res: pg.QueryResult) => callback(error, res && markCharColumns(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      return (result as Promise<pg.QueryResult>).then(markCharColumns) as never;
    }
    return result as never;
  }
}

function markCharColumns(res: pg.QueryResult): pg.QueryResult {
  const positions: number[] = [];
  (res.fields ?? []).forEach((field, index) => {
    if (field.dataTypeID === PG_CHAR_OID) {
      field.dataTypeID = PG_TEXT_OID;
      positions.push(index);
    }
  });
  if (positions.length > 0 && res.rows) charColumns.set(res.rows, positions);
  return res;
}

type Queryable = { queryRaw(query: unknown): Promise<{ columnTypes: number[]; rows: unknown[] }> };

function reportCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

async function engineAdapter(connectionString: string, onDispose?: () => Promise<void>) {
  const pool = new pg.Pool({ connectionString, Client: CatalogFriendlyClient, max: 4 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const adapter = await new PrismaPg(pool).connect();
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => reportCharColumns(await startTransaction(isolationLevel));
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await pool.end();
    await onDispose?.();
  };
  return reportCharColumns(adapter);
}

/** A PostgreSQL adapter factory whose shadow database is a fresh in-memory PGlite. */
function adapterFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => engineAdapter(databaseUrl),
    async connectToShadowDb() {
      const shadow = await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 4 });
      return engineAdapter(shadow.url, () => shadow.stop());
    },
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

export async function withSchemaEngine<T>(databaseUrl: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const datamodels = readSchemaFiles().map((file) => [file.path, file.content] as [string, string]);
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels },
    (log: string) => logs.push(log),
    bindMigrationAwareSqlAdapterFactory(adapterFactory(databaseUrl)),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

/** Applies every migration not yet applied; returns the names applied now (empty when up to date). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: readMigrationsList(), filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/** SQL that would bring the migrations folder up to the schema; empty when they agree. */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrationsList() },
      to: { tag: "schemaDatamodel", files: readSchemaFiles() },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result.stdout ?? "").trim();
  });
}
