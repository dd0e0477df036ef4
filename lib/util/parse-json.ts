/** The JSON value of `text`, or undefined when it is empty or not JSON (a body Amazon or a proxy garbled). */
export function parseJsonOrUndefined(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
