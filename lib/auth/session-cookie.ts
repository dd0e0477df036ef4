// Issuing and reading the session cookie outside next-auth's own routes: the sign-in and sign-up
// forms (server actions) and a password change, which starts a fresh session for the browser that
// made it. The cookie is the same next-auth JWT the Credentials sign-in issues, so next-auth reads it.
import { decode, encode } from "next-auth/jwt";
import { env } from "../env";
import type { Prisma } from "../generated/prisma/client";
import { SESSION_MAX_AGE_SECONDS, sessionCookieConfig } from "./session-config";
import { createSession } from "./sessions";

export interface SessionCookie {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; expires: Date };
}

/** The JWT claims of a session: next-auth's defaults plus our user id and session id. */
export function sessionClaims(user: { id: string; email: string }, sessionId: string) {
  return { sub: user.id, email: user.email, name: null, picture: null, uid: user.id, sid: sessionId };
}

/** Starts a server-side session for `user` and returns the cookie that carries it. */
export async function issueSessionCookie(
  user: { id: string; email: string },
  now = new Date(),
  client?: Prisma.TransactionClient,
): Promise<SessionCookie> {
  const session = await createSession(user.id, now, client);
  const value = await encode({ token: sessionClaims(user, session.id), secret: env().AUTH_SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
  const { name, options } = sessionCookieConfig(env());
  return { name, value, options: { ...options, expires: session.expiresAt } };
}

/** The cookie that removes the session cookie from the browser. */
export function clearedSessionCookie(): SessionCookie {
  const { name, options } = sessionCookieConfig(env());
  return { name, value: "", options: { ...options, expires: new Date(0) } };
}

/** The session id inside a session cookie's value, or null when it is missing, forged or expired. */
export async function sessionIdFromCookie(value: string | undefined): Promise<string | null> {
  if (!value) return null;
  try {
    const token = await decode({ token: value, secret: env().AUTH_SECRET });
    return typeof token?.sid === "string" ? token.sid : null;
  } catch {
    return null;
  }
}
