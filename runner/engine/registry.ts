// Registered functions: kept in memory for routing and in runner_function so a restarted runner
// knows them before the app is synced again. Handles /fn/register and the out-of-band sync (PUT).
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { z } from "zod";
import { nextCronTick } from "../protocol/cron";
import { SyncRefusedError, toFunctionDefinition, type FunctionDefinition } from "../protocol/function-config";
import { jsonValue, withTx } from "./db";
import type { RunnerLog } from "../config";

const registerBodySchema = z
  .object({
    url: z.url(),
    appName: z.string().min(1),
    functions: z.array(z.unknown()).default([]),
  })
  .loose();

export interface RegisterOutcome {
  status: number;
  body: { ok: boolean; modified?: boolean; status: number; error?: string };
}

export class Registry {
  private functions = new Map<string, FunctionDefinition>();
  private appOf = new Map<string, string>();
  private logged = new Set<string>();
  lastSyncError: string | undefined;
  /** Called after a successful sync (the worker re-reads the cron schedule). */
  onChange: () => void = () => undefined;

  constructor(
    private readonly db: PrismaClient,
    private readonly log: RunnerLog,
  ) {}

  get(id: string): FunctionDefinition | undefined {
    return this.functions.get(id);
  }

  all(): FunctionDefinition[] {
    return [...this.functions.values()];
  }

  async load(): Promise<void> {
    const rows = await this.db.runnerFunction.findMany();
    for (const row of rows) {
      try {
        this.functions.set(row.id, toFunctionDefinition(row.config));
        this.appOf.set(row.id, row.appUrl);
      } catch (error) {
        this.log(`stored function ${row.id} no longer loads: ${(error as Error).message}`, "warn");
      }
    }
  }

  /** Handles POST /fn/register. A refused sync changes nothing and says why, loudly. */
  async register(raw: unknown): Promise<RegisterOutcome> {
    const parsed = registerBodySchema.safeParse(raw);
    if (!parsed.success) return this.refuse(`Malformed register body: ${parsed.error.issues[0]?.message}`);
    const { url, appName, functions } = parsed.data;
    let definitions: FunctionDefinition[];
    try {
      definitions = functions.map((f) => toFunctionDefinition(f));
      for (const def of definitions) {
        for (const cron of def.cronTriggers) {
          try {
            nextCronTick(cron, new Date());
          } catch (error) {
            throw new SyncRefusedError(`Function ${def.id} has a cron trigger that cannot run: "${cron}": ${(error as Error).message}`);
          }
        }
      }
    } catch (error) {
      if (error instanceof SyncRefusedError) return this.refuse(`Sync of ${appName} refused: ${error.message}`);
      throw error;
    }
    const ids = definitions.map((d) => d.id);
    const now = new Date();
    const modified = await withTx(this.db, async (tx) => {
      const before = await tx.runnerApp.findUnique({ where: { url } });
      const config = JSON.stringify(functions);
      await tx.runnerApp.upsert({
        where: { url },
        create: { url, appName, config: jsonValue(functions) },
        update: { appName, config: jsonValue(functions), syncedAt: now },
      });
      const removed = await tx.runnerFunction.findMany({ where: { appUrl: url, id: { notIn: ids } }, select: { id: true } });
      await tx.runnerCron.deleteMany({ where: { functionId: { in: removed.map((r) => r.id) } } });
      await tx.runnerFunction.deleteMany({ where: { appUrl: url, id: { notIn: ids } } });
      for (const def of definitions) {
        await tx.runnerFunction.upsert({
          where: { id: def.id },
          create: { id: def.id, appUrl: url, name: def.name, config: jsonValue(def.config) },
          update: { appUrl: url, name: def.name, config: jsonValue(def.config), updatedAt: now },
        });
        // Keep the stored next tick of an unchanged cron, so a re-sync or restart neither skips nor repeats it.
        await tx.runnerCron.deleteMany({ where: { functionId: def.id, expression: { notIn: def.cronTriggers } } });
        if (def.cronTriggers.length > 0) {
          await tx.runnerCron.createMany({
            data: def.cronTriggers.map((expression) => ({ functionId: def.id, expression, nextAt: nextCronTick(expression, now) })),
            skipDuplicates: true,
          });
        }
      }
      return JSON.stringify(before?.config ?? null) !== config;
    });
    for (const [id, appUrl] of this.appOf) {
      if (appUrl === url && !ids.includes(id)) {
        this.functions.delete(id);
        this.appOf.delete(id);
      }
    }
    for (const def of definitions) {
      this.functions.set(def.id, def);
      this.appOf.set(def.id, url);
    }
    this.lastSyncError = undefined;
    this.onChange();
    // Periodic re-syncs that change nothing stay out of the log.
    if (modified || !this.logged.has(url)) this.log(`synced ${appName} (${url}): ${ids.length} function(s)`);
    this.logged.add(url);
    return { status: 200, body: { ok: true, modified, status: 200 } };
  }

  private refuse(message: string): RegisterOutcome {
    this.lastSyncError = message;
    this.log(`SYNC REFUSED: ${message}`, "error");
    return { status: 400, body: { ok: false, status: 400, error: message } };
  }
}

/** Out-of-band sync: PUT to the serve endpoint; the SDK answers by POSTing /fn/register to us. */
export async function syncApp(appUrl: string, serverKind: "dev" | "cloud"): Promise<{ status: number; message: string }> {
  const res = await fetch(appUrl, {
    method: "PUT",
    headers: { "x-inngest-server-kind": serverKind },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: string };
    message = body.message ?? text;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, message };
}
