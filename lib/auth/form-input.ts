// Reading server-action form data: every field as a string ("" when missing or a file), and the
// message a failed action shows, the same text the JSON API would answer (never an internal error).
import { toErrorBody } from "../api/errors";
import { hasControlCharacters } from "../api/validation";

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** A typed email to show again in the form after a failure: only if it is harmless text. */
export function echoEmail(value: string): string {
  return value.length <= 254 && !hasControlCharacters(value) ? value : "";
}

export function formErrorMessage(error: unknown): string {
  return toErrorBody(error).body.error.message;
}
