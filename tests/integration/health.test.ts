import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { checkHealth } from "@/lib/health";

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
