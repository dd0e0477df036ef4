// Amazon's error shapes: SP-API `{"errors":[{code,message,details}]}` and LWA OAuth `{error, error_description}`.
import type { ZodError } from "zod";

export class SpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details = "",
    readonly errorType?: string,
  ) {
    super(message);
  }
}

export const invalidInput = (message: string, details = "") =>
  new SpApiError(400, "InvalidInput", message, details, "InvalidInputException");

export const notFound = (message = "Resource not found.", details = "") =>
  new SpApiError(404, "NotFound", message, details);

export const quotaExceeded = () => new SpApiError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");

export const unauthorized = (details: string) =>
  new SpApiError(403, "Unauthorized", "Access to requested resource is denied.", details);

export function zodToInvalidInput(error: ZodError): SpApiError {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return invalidInput(`Invalid input. ${where}${issue?.message ?? "bad request"}`.trim());
}

export function errorBody(err: SpApiError) {
  return { errors: [{ code: err.code, message: err.message, details: err.details }] };
}

export class LwaError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}
