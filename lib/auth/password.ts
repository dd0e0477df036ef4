// Password hashing (argon2id, a maintained native library) and the strength rule for new passwords.
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { hasControlCharacters } from "../api/validation";

const COMMON = new Set(["password", "password1", "password123", "1234567890", "qwertyuiop", "letmein123", "iloveyou12", "admin12345"]);

export const newPasswordSchema = z
  .string({ error: "is required" })
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters")
  .refine((value) => !hasControlCharacters(value), "must not contain control characters")
  .refine((value) => /[A-Za-z]/.test(value) && /[^A-Za-z]/.test(value), "must mix letters with digits or symbols")
  .refine((value) => !COMMON.has(value.toLowerCase()), "is too common");

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
