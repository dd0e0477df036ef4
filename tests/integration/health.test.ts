import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { db } from "@/lib/db";
import { checkHealth, reachable } from "@/lib/health";
import { createUser, sellingPartnerId } from "../support/factories";

describe("GET /api/health", () => {
  it("answers 200 with the database up and the app version", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", services: { database: { status: "up" } }, version: "0.1.0" });
  });

  it("reports seed 003's sync metrics over every tenant, without ids", async () => {
    // Other test files share the database, so the counts are at least what this test adds.
    const user = await createUser();
    const seller = await db.sellerConnection.create({
      data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] },
    });
    const completedAt = new Date("2026-05-04T12:00:00.000Z");
    const running = await db.syncRun.create({ data: { sellerConnectionId: seller.id, kind: "incremental", status: "running", trigger: "cron", activeFor: seller.id } });
    await db.syncRun.create({ data: { sellerConnectionId: seller.id, kind: "historical", status: "completed", trigger: "connect", completedAt, claimsDetected: 5 } });
    const response = await GET();
    const body = await response.json();
    expect(Object.keys(body.metrics).sort()).toEqual(["activeJobs", "discrepanciesFound", "lastSync", "totalJobs"]);
    expect(body.metrics.activeJobs).toBeGreaterThanOrEqual(1);
    expect(body.metrics.totalJobs).toBeGreaterThanOrEqual(2);
    expect(body.metrics.totalJobs).toBeGreaterThanOrEqual(body.metrics.activeJobs);
    expect(body.metrics.discrepanciesFound).toBeGreaterThanOrEqual(5);
    expect(Date.parse(body.metrics.lastSync)).toBeGreaterThanOrEqual(completedAt.getTime());
    const text = JSON.stringify(body);
    for (const id of [user.id, seller.id, running.id]) expect(text).not.toContain(id);
  });

  it("passes the metrics through, and answers null for metrics that fail or hang", async () => {
    const metrics = { activeJobs: 1, totalJobs: 4, lastSync: "2026-05-04T12:00:00.000Z", discrepanciesFound: 3 };
    expect((await checkHealth({}, 200, async () => metrics)).metrics).toEqual(metrics);
    const failing = await checkHealth({}, 200, async () => {
      throw new Error("connect ECONNREFUSED postgresql://app:secret@db:5432/app");
    });
    expect(failing.metrics).toBeNull();
    const started = Date.now();
    const hung = await checkHealth({ database: async () => {} }, 200, () => new Promise(() => {}));
    expect(hung.metrics).toBeNull();
    expect(hung.status).toBe("ok");
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await checkHealth({}, 200, null)).metrics).toBeNull();
  });

  it("reports a failing or hung dependency as down without leaking its connection string", async () => {
    const report = await checkHealth(
      {
        database: async () => {
          throw new Error("connect ECONNREFUSED postgresql://app:secret@db:5432/app");
        },
        runner: () => new Promise(() => {}),
      },
      200,
    );
    expect(report.status).toBe("degraded");
    expect(report.services.database!.status).toBe("down");
    expect(report.services.database!.error).not.toContain("secret");
    expect(report.services.runner!.error).toMatch(/no answer within 200 ms/);
  });
});

describe("health of outside services", () => {
  it("counts a service that answers 4xx as up and one that answers 5xx or nothing as down", async () => {
    const http = await import("node:http");
    const server = http.createServer((request, response) => {
      response.statusCode = request.url === "/broken" ? 503 : 400;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const probe = (path: string) => () => reachable(`http://127.0.0.1:${port}${path}`, { method: "POST" });
    const report = await checkHealth({ lwa: probe("/token"), runner: probe("/broken"), gone: () => reachable("http://127.0.0.1:9/") }, 3000);
    server.close();
    expect(report.services.lwa!.status).toBe("up");
    expect(report.services.runner).toMatchObject({ status: "down", error: "answered HTTP 503" });
    expect(report.services.gone!.status).toBe("down");
    expect(report.status).toBe("degraded");
  });
});
