// Boundary checks shared by every schema that takes text from outside: no control characters (a NUL
// byte, for one, makes PostgreSQL refuse the statement, and the error text must never reach a caller).
import { z } from "zod";

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** A string without control characters, at most `max` long: the base of every text input. */
export function safeText(max = 1000) {
  return z
    .string()
    .max(max)
    .refine((value) => !hasControlCharacters(value), "must not contain control characters");
}
