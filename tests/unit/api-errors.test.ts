import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, parseJsonBody, toErrorResponse } from "@/lib/api/errors";
import {
  AmazonNotConfiguredError,
  RateLimitWaitError,
  SellerDisconnectedError,
  SpApiError,
  SpApiNetworkError,
} from "@/lib/amazon/errors";

describe("API error shape", () => {
  it("maps each ApiError code to its status with the { error: { code, message } } body", async () => {
    const response = toErrorResponse(new ApiError("not_found", "No such sync."));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "No such sync." } });
    expect(toErrorResponse(new ApiError("rate_limited", "slow down")).status).toBe(429);
  });

  it("turns a zod error into a 422 that names the field", async () => {
    const result = z.object({ email: z.email() }).safeParse({ email: "nope" });
    const response = toErrorResponse(result.error);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unprocessable_entity");
    expect(body.error.message).toMatch(/^email:/);
  });

  it("answers unknown errors with a generic 500 that leaks nothing", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = toErrorResponse(new Error("password=hunter2 at postgresql://u:p@h/db"));
    spy.mockRestore();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("postgresql://");
    expect(JSON.parse(text).error.code).toBe("internal_server_error");
  });

  it("answers a malformed JSON body with 400, not a 500", async () => {
    const request = new Request("http://x/", { method: "POST", body: "{not json" });
    await expect(parseJsonBody(request, z.object({}))).rejects.toMatchObject({ code: "bad_request" });
  });

  it("maps the SP-API client's errors to the closed set of codes, not a 500, and keeps Amazon's text out", async () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    const spApi = (status: number) =>
      new SpApiError({ operation: "getReport", status, errors: [{ code: "X", message: "internal detail 123" }], requestId: "req-9" });
    const cases: [Error, number, string][] = [
      [new AmazonNotConfiguredError(["AMAZON_CLIENT_ID"]), 503, "service_unavailable"],
      [new SellerDisconnectedError("A1SELLER", "revoked", 400), 409, "conflict"],
      [new RateLimitWaitError("createReport", 12_500), 429, "rate_limited"],
      [spApi(429), 429, "rate_limited"],
      [spApi(503), 503, "service_unavailable"],
      [new SpApiNetworkError("getReport", 2, new Error("ECONNRESET")), 503, "service_unavailable"],
      [spApi(400), 502, "bad_gateway"],
    ];
    for (const [error, status, code] of cases) {
      const response = toErrorResponse(error);
      expect(response.status, error.name).toBe(status);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe(code);
      expect(text).not.toContain("internal detail");
      expect(text).not.toContain("req-9");
    }
    expect(toErrorResponse(new RateLimitWaitError("createReport", 12_500)).headers.get("retry-after")).toBe("13");
    spy.mockRestore();
  });
});
