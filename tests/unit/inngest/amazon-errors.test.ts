// Each typed error of the SP-API client becomes what Inngest should do with the step that threw it.
import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import { amazonStep, toInngestError } from "@/inngest/amazon-errors";
import {
  AmazonNotConfiguredError,
  LwaError,
  RateLimitWaitError,
  ReportDocumentCorruptError,
  SellerDisconnectedError,
  SellerNotConnectedError,
  SpApiError,
  SpApiNetworkError,
} from "@/lib/amazon/errors";

const spApiError = (status: number, operation: "createReport" | "getReport" = "createReport") =>
  new SpApiError({ operation, status, errors: [{ code: status === 429 ? "QuotaExceeded" : "InternalFailure", message: "x" }], requestId: "r1" });

describe("toInngestError", () => {
  it("turns a rate-limit wait longer than a step may wait into RetryAfterError with that delay", () => {
    const mapped = toInngestError(new RateLimitWaitError("createReport", 42_300));
    expect(mapped).toBeInstanceOf(RetryAfterError);
    expect((mapped as RetryAfterError).retryAfter).toBe("43"); // seconds, rounded up
    expect((mapped as RetryAfterError).cause).toBeInstanceOf(RateLimitWaitError);
  });

  it("waits out Amazon's 429 for one refill of the operation's usage plan", () => {
    // createReport refills 0.0167 tokens/s: one token about every 60 s.
    expect((toInngestError(spApiError(429)) as RetryAfterError).retryAfter).toBe("60");
    // getReport refills 2/s: the floor of one second applies.
    expect((toInngestError(spApiError(429, "getReport")) as RetryAfterError).retryAfter).toBe("1");
  });

  it("never retries a revoked or disconnected seller, nor a server without an Amazon app", () => {
    for (const error of [
      new SellerDisconnectedError("A1SELLER", "revoked", 400),
      new SellerNotConnectedError("sc_1"),
      new AmazonNotConfiguredError(["AMAZON_CLIENT_ID"]),
    ]) {
      const mapped = toInngestError(error);
      expect(mapped, error.name).toBeInstanceOf(NonRetriableError);
      expect((mapped as NonRetriableError).cause).toBe(error);
    }
  });

  it("does not retry refusals a retry cannot change (4xx, bad client credentials, a corrupt document)", () => {
    expect(toInngestError(spApiError(403))).toBeInstanceOf(NonRetriableError);
    expect(toInngestError(spApiError(400))).toBeInstanceOf(NonRetriableError);
    expect(toInngestError(new LwaError("invalid_client", "bad secret", 401, "refresh_token"))).toBeInstanceOf(NonRetriableError);
    expect(toInngestError(new ReportDocumentCorruptError("doc1", "bad gzip"))).toBeInstanceOf(NonRetriableError);
  });

  it("leaves 5xx, LWA outages, network errors and unknown errors retryable as they are", () => {
    for (const error of [
      spApiError(503),
      new LwaError("server_error", "", 500, "refresh_token"),
      new SpApiNetworkError("getReport", 2, new Error("ECONNRESET")),
      new Error("something else"),
    ]) {
      expect(toInngestError(error)).toBe(error);
    }
  });
});

describe("amazonStep", () => {
  it("returns the body's result and rethrows its errors mapped", async () => {
    await expect(amazonStep(async () => 7)).resolves.toBe(7);
    await expect(amazonStep(async () => Promise.reject(new RateLimitWaitError("getReports", 5_000)))).rejects.toBeInstanceOf(RetryAfterError);
  });
});
