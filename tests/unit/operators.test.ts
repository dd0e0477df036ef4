// Who may see the operator pages (every tenant's runs): the emails named in OPERATOR_EMAILS, in
// every environment, and nobody when it is unset.
import { describe, expect, it } from "vitest";
import { isOperator } from "@/lib/auth/current-user";
import { parseEnv } from "@/lib/env";

const user = (email: string) => ({ id: "u1", email });
const secrets = { AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}` };

describe("isOperator", () => {
  it("names nobody when OPERATOR_EMAILS is unset, in development as in production", () => {
    for (const NODE_ENV of ["development", "test"] as const) {
      const config = parseEnv({ NODE_ENV, ...secrets });
      expect(isOperator(user("first@example.test"), config), NODE_ENV).toBe(false);
    }
    expect(isOperator(user("first@example.test"), { OPERATOR_EMAILS: undefined })).toBe(false);
  });

  it("names exactly the listed emails, whatever their case and spacing", () => {
    const config = parseEnv({ NODE_ENV: "development", ...secrets, OPERATOR_EMAILS: " Ops@Example.test ,second@example.test" });
    expect(isOperator(user("ops@example.test"), config)).toBe(true);
    expect(isOperator(user("OPS@EXAMPLE.TEST"), config)).toBe(true);
    expect(isOperator(user("second@example.test"), config)).toBe(true);
    expect(isOperator(user("ops@example.test.evil"), config)).toBe(false);
    expect(isOperator(user("someone@example.test"), config)).toBe(false);
  });
});
