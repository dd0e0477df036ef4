import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decrypt, encrypt, needsReencryption, parseKeyring, TokenCipherError, type Keyring } from "./token-cipher";

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring1: Keyring = { current: "k1", keys: { k1 } };
const secret = "Atzr|IwEBIExampleRefreshToken-ünïcødé";

function flipBase64Byte(b64: string): string {
  const buf = Buffer.from(b64, "base64");
  buf[0] = (buf[0] ?? 0) ^ 0x01;
  return buf.toString("base64");
}

describe("token-cipher", () => {
  it("round-trips a value and never shows the plaintext in the ciphertext", () => {
    const sealed = encrypt(secret, ring1);
    expect(sealed).toMatch(/^v1:k1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain("Atzr");
    expect(decrypt(sealed, ring1)).toBe(secret);
  });

  it("uses a fresh IV each time so equal plaintexts give different values", () => {
    expect(encrypt(secret, ring1)).not.toBe(encrypt(secret, ring1));
  });

  it("detects a tampered ciphertext, tag or IV", () => {
    const parts = encrypt(secret, ring1).split(":");
    for (const i of [2, 3, 4]) {
      const bad = [...parts];
      bad[i] = flipBase64Byte(bad[i]!);
      expect(() => decrypt(bad.join(":"), ring1)).toThrow(TokenCipherError);
    }
  });

  it("rejects a value relabelled to another key id even when that key exists", () => {
    const both: Keyring = { current: "k1", keys: { k1, k2 } };
    const relabelled = encrypt(secret, both).replace(/^v1:k1:/, "v1:k2:");
    expect(() => decrypt(relabelled, both)).toThrow(/authentication/);
  });

  it("decrypts old values after rotation with the key the value names, and flags them for re-encryption", () => {
    const old = encrypt(secret, ring1);
    const rotated: Keyring = { current: "k2", keys: { k1, k2 } };
    expect(decrypt(old, rotated)).toBe(secret);
    expect(needsReencryption(old, rotated)).toBe(true);
    const fresh = encrypt(secret, rotated);
    expect(fresh.startsWith("v1:k2:")).toBe(true);
    expect(needsReencryption(fresh, rotated)).toBe(false);
    // Once k1 is retired, old values can no longer be read.
    expect(() => decrypt(old, { current: "k2", keys: { k2 } })).toThrow(/No key with id "k1"/);
  });

  it("fails with a wrong key under the same id", () => {
    const sealed = encrypt(secret, ring1);
    try {
      decrypt(sealed, { current: "k1", keys: { k1: k2 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TokenCipherError);
      expect((e as TokenCipherError).code).toBe("auth_failed");
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it("rejects malformed values and short keys", () => {
    expect(() => decrypt("plain-text", ring1)).toThrow(/Not a v1/);
    expect(() => encrypt("x", { current: "k1", keys: { k1: randomBytes(16) } })).toThrow(/32 bytes/);
  });

  it("parses a keyring from an env-style string", () => {
    const ring = parseKeyring(`new:${k2.toString("base64")}, k1:${k1.toString("base64")}`);
    expect(ring.current).toBe("new");
    expect(decrypt(encrypt(secret, ring1), ring)).toBe(secret);
  });
});
