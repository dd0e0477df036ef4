// Creates an account: email normalised, password checked for strength and hashed. A duplicate email
// is a 409 and nothing is written.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { hasControlCharacters } from "../api/validation";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { hashPassword, newPasswordSchema } from "./password";

export const emailSchema = z
  .string({ error: "is required" })
  .max(320, "is too long")
  .refine((value) => !hasControlCharacters(value), "must not contain control characters")
  .trim()
  .toLowerCase()
  .pipe(z.email("must be a valid email address").max(254, "is too long"));

export const signUpSchema = z.object({ email: emailSchema, password: newPasswordSchema }).strict();

export async function signUp(input: z.infer<typeof signUpSchema>): Promise<{ id: string; email: string }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.user.create({ data: { email: input.email, passwordHash }, select: { id: true, email: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ApiError("conflict", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}
