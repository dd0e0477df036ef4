import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { checkHealth, reachable } from "@/lib/health";

describe("GET /api/health", () => {
  it("answers 200 with the database up and the app version", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", services: { database: { status: "up" } }, version: "0.1.0" });
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
