// The runner's HTTP surface, at the root of its own origin as the SDK expects: event intake
// (POST /e/<key>), registration (POST /fn/register), the /v0 run API, and two runner endpoints
// (POST /_runner/sync, GET /health).
import http from "node:http";
import type { EngineContext } from "./engine/context";
import { BadEventError, ingestEvents, parseIncomingEvents } from "./engine/events";
import { hashedSigningKey } from "./protocol/signature";

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadEventError(`Body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A path fit for the log: an event send's key (`/e/<key>`) left out. */
function shownPath(pathname: string): string {
  return pathname.replace(/^\/e\/[^/]+/, "/e/<event key>");
}

export function createRunnerServer(ctx: EngineContext, sync: () => Promise<{ status: number; message: string }>): http.Server {
  const { signingKey, signingKeyFallback, eventKey } = ctx.options;
  const bearers = [signingKey, signingKeyFallback].filter((k): k is string => Boolean(k)).map((k) => `Bearer ${hashedSigningKey(k)}`);

  return http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://runner.local");
      const method = req.method ?? "GET";
      let match: RegExpExecArray | null;

      if (method === "POST" && (match = /^\/e\/([^/]+)\/?$/.exec(url.pathname))) {
        if (eventKey && decodeURIComponent(match[1] ?? "") !== eventKey) {
          return send(res, 401, { error: "Event key not found", status: 401 });
        }
        try {
          const body = await readBody(req);
          const seed = req.headers["x-inngest-event-id-seed"];
          const events = parseIncomingEvents(body, typeof seed === "string" ? seed : undefined, ctx.options.limits.maxEventBytes);
          const ids = await ingestEvents(ctx, events);
          return send(res, 200, { ids, status: 200 }); // the SDK counts a send as failed without status: 200
        } catch (error) {
          if (error instanceof BadEventError) {
            ctx.log(`rejected event send: ${error.message}`, "warn");
            return send(res, 400, { error: error.message, status: 400 });
          }
          throw error;
        }
      }

      if (method === "POST" && url.pathname === "/fn/register") {
        if (bearers.length > 0 && !bearers.includes(String(req.headers.authorization ?? ""))) {
          ctx.log("SYNC REFUSED: register request without the bearer of the runner's signing key", "warn");
          return send(res, 401, { error: "Unauthorized: signing key does not match the runner's", status: 401 });
        }
        let raw: unknown;
        try {
          raw = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, { error: "Register body is not JSON", status: 400 });
        }
        const outcome = await ctx.registry.register(raw);
        return send(res, outcome.status, outcome.body);
      }

      if (method === "GET" && (match = /^\/v0\/runs\/([^/]+)\/(batch|actions)$/.exec(url.pathname))) {
        const runId = match[1] ?? "";
        const run = await ctx.db.runnerRun.findUnique({ where: { id: runId } });
        if (!run) return send(res, 404, { error: "run not found", status: 404 });
        if (match[2] === "batch") return send(res, 200, [run.event]);
        const steps = await ctx.db.runnerStep.findMany({ where: { runId, status: { in: ["completed", "failed"] } } });
        return send(res, 200, Object.fromEntries(steps.map((s) => [s.id, s.status === "completed" ? { data: s.data } : { error: s.error }])));
      }

      if (method === "POST" && url.pathname === "/_runner/sync") {
        const result = await sync();
        return send(res, result.status === 200 ? 200 : 502, result);
      }

      if (method === "GET" && (url.pathname === "/health" || url.pathname === "/")) {
        return send(res, 200, {
          ok: true,
          runner: "fba-recovery embedded inngest runner",
          functions: ctx.registry.all().map((f) => f.id),
          lastSyncError: ctx.registry.lastSyncError ?? null,
        });
      }

      ctx.log(`unhandled ${method} ${shownPath(url.pathname)}`, "warn");
      return send(res, 404, { error: `No route for ${method} ${url.pathname}`, status: 404 });
    })().catch((error: unknown) => {
      // The path without its query, and without the event key a send names in it (POST /e/<key>).
      ctx.log(`request ${req.method} ${shownPath((req.url ?? "/").split("?")[0] ?? "/")} failed: ${(error as Error).stack ?? String(error)}`, "error");
      if (!res.headersSent) send(res, 500, { error: "runner internal error", status: 500 });
      else res.end();
    });
  });
}
