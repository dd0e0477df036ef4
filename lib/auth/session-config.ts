// How long a session lives and how its cookie is set. One place, read by next-auth's options
// (auth-options.ts) and by the code that issues or clears the cookie itself (session-cookie.ts).
import type { Env } from "../env";

/** A session ends this long after its last use (the cookie's lifetime and the server-side row's). */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** The server-side expiry is pushed forward at most this often (one write a day per session). */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** `Secure` (and `__Secure-`-prefixed) cookies in production and whenever the app is served over https. */
export function useSecureCookies(e: Pick<Env, "NODE_ENV" | "APP_URL">): boolean {
  return e.NODE_ENV === "production" || e.APP_URL.startsWith("https://");
}

export interface SessionCookieConfig {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
}

/** The session cookie, named and set exactly as next-auth would with the same `useSecureCookies`. */
export function sessionCookieConfig(e: Pick<Env, "NODE_ENV" | "APP_URL">): SessionCookieConfig {
  const secure = useSecureCookies(e);
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure },
  };
}
