// next-auth configuration: email + password through the Credentials provider (id `credentials`),
// JWT sessions in an HTTP-only cookie, our own sign-in page. The JWT carries a server-side session id
// (sessions.ts) that is checked on every use, so signing out or changing the password ends a session
// even where its cookie has been copied to.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { log } from "../observability/logger";
import { authenticate, type AuthenticationResult } from "./authenticate";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, sessionCookieConfig, useSecureCookies } from "./session-config";
import { createSession, resolveSession, revokeSession } from "./sessions";
import { clientAddressFromHeaders } from "../http/client-address";

/** Thrown by the jwt callback for a cookie whose server-side session is gone: next-auth then treats the request as signed out and clears the cookie. */
class SessionEndedError extends Error {
  constructor() {
    super("SessionEnded");
    this.name = "SessionEndedError";
  }
}

/**
 * Checks an email and password exactly as the sign-in does (throttle per email and client address
 * included), for the callers outside next-auth: the sign-in form's server action and the account
 * routes that ask for the current password. `headers` are the request's (lower-case names).
 */
export function checkCredentials(credentials: unknown, headers: Parameters<typeof clientAddressFromHeaders>[0]): Promise<AuthenticationResult> {
  return authenticate(credentials, clientAddressFromHeaders(headers));
}

// next-auth's own logger prints whole errors with their stack; these are the lines we want instead.
// An ended session is routine (a signed-out cookie used again), not an error.
const logger: NextAuthOptions["logger"] = {
  error(code, metadata) {
    const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error;
    if (error instanceof SessionEndedError) return;
    log.error({ code, errorClass: error instanceof Error ? error.name : undefined }, `next-auth ${code}: ${error instanceof Error ? `${error.name}: ${error.message}` : "(no error)"}`);
  },
  warn(code) {
    log.warn({ code }, `next-auth warning ${code}`);
  },
  debug() {},
};

export function authOptions(): NextAuthOptions {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    // updateAge is next-auth's knob for database sessions; ours (sessions.ts) renews at the same pace.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    useSecureCookies: useSecureCookies(e),
    cookies: { sessionToken: sessionCookieConfig(e) },
    pages: { signIn: "/signin" },
    logger,
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          let result: AuthenticationResult;
          try {
            result = await checkCredentials(credentials, request?.headers);
          } catch (error) {
            // Whatever went wrong (the database, most likely) stays in the server log: next-auth puts
            // a thrown message into the redirect URL, so only this fixed code may reach it.
            log.error({ errorClass: error instanceof Error ? error.name : "unknown error" }, "Sign-in failed");
            throw new Error("SignInUnavailable");
          }
          if (result.ok) return { id: result.user.id, email: result.user.email };
          // The message reaches the sign-in page as `error`; it names no account details.
          if (result.reason === "too_many_attempts") {
            throw new Error(`TooManyAttempts:${result.retryAfterSeconds}`);
          }
          return null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          // Sign-in: a new server-side session, named in the cookie.
          const session = await createSession(user.id);
          return { ...token, uid: user.id, sid: session.id };
        }
        // Every other use of the cookie: its session must still be live (and is renewed with use).
        const live = await resolveSession(token.sid);
        if (!live || live.userId !== token.uid) throw new SessionEndedError();
        return { ...token, email: live.email };
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
    events: {
      // next-auth's own sign-out (POST /api/auth/signout) ends the server-side session too.
      async signOut({ token }) {
        await revokeSession(token?.sid);
      },
    },
  };
}
