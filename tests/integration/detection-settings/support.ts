// Shared by the detection-settings tests: calling a route module's handler as Next would (a Request
// and a params promise), reading the JSON back, and the user who owns a test ledger's seller.
import { db } from "@/lib/db";

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export interface Call {
  method?: string;
  body?: unknown;
  /** A raw body (CSV text, FormData) sent as is. */
  raw?: BodyInit;
  contentType?: string;
  params?: Record<string, string>;
}

export async function call(handler: unknown, path: string, options: Call = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  if (options.contentType) headers["content-type"] = options.contentType;
  const response = await (handler as Handler)(new Request(`http://app${path}`, { method: options.method ?? "GET", body, headers }), {
    params: Promise.resolve((options.params ?? {}) as never),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text), headers: response.headers };
}

export async function ownerOf(sellerConnectionId: string): Promise<string> {
  return (await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerConnectionId }, select: { userId: true } })).userId;
}
