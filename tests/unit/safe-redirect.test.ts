import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/http/safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/dashboard")).toBe("/dashboard");
    expect(safeRedirectPath("/runs?status=failed&function=x#top")).toBe("/runs?status=failed&function=x#top");
    expect(safeRedirectPath("/connect-amazon?result=cancelled")).toBe("/connect-amazon?result=cancelled");
  });

  it.each([
    ["protocol-relative", "//evil.example.org/x"],
    ["backslash", "/\\evil.example.org/x"],
    ["encoded backslash (as read from the query)", "/%5Cevil.example.org/x"],
    ["double-encoded backslash", "/%255Cevil.example.org"],
    ["tab", "/\t/evil.example.org"],
    ["encoded tab", "/%09/evil.example.org"],
    ["newline", "/\n/evil.example.org"],
    ["encoded newline", "/%0A/evil.example.org"],
    ["carriage return", "/\r//evil.example.org"],
    ["encoded slash", "/%2Fevil.example.org"],
    ["absolute URL", "https://evil.example.org/"],
    ["javascript:", "javascript:alert(1)"],
    ["encoded javascript:", "javascript%3Aalert(1)"],
    ["relative path", "evil.example.org"],
    ["empty", ""],
    ["NUL byte", "/dash\u0000board"],
    ["malformed encoding", "/%E0%A4%A"],
  ])("falls back for %s", (_name, value) => {
    expect(safeRedirectPath(value)).toBe("/dashboard");
    expect(safeRedirectPath(value, "/signin")).toBe("/signin");
  });

  it("falls back for anything that is not a string", () => {
    expect(safeRedirectPath(undefined)).toBe("/dashboard");
    expect(safeRedirectPath(null)).toBe("/dashboard");
    expect(safeRedirectPath(["/dashboard"])).toBe("/dashboard");
  });
});
