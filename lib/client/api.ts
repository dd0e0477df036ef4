// The browser's fetch for the app's JSON API: typed answers, and the API's `{ error: { message } }`
// (or a failed network) turned into an ApiRequestError whose message a seller can read.

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    /** The parsed error body (a 409 from POST /api/sync/start carries the running sync's id). */
    readonly body: unknown,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403) return "You are not allowed to do that.";
  if (status === 404) return "Not found.";
  if (status === 409) return "That conflicts with something already in progress.";
  if (status === 413) return "That file is too large.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  if (status >= 500) return "Something went wrong on our side. Try again in a minute.";
  return `The request failed (${status}).`;
}

/**
 * Fetches `path` (same origin) and returns its JSON. A JSON body given as `json` is sent with its
 * content type. 204 answers resolve to undefined.
 */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiRequestError("Could not reach the server. Check your connection and try again.", 0, "network", null);
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
    const message = typeof error?.message === "string" && error.message.trim() ? error.message : fallbackMessage(response.status);
    throw new ApiRequestError(message, response.status, typeof error?.code === "string" ? error.code : undefined, body);
  }
  return body as T;
}

/** A query string from defined values: `{ limit: 10, status: undefined }` -> "?limit=10". */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
