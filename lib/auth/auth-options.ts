// next-auth configuration: email + password through the Credentials provider (id `credentials`),
// JWT sessions in an HTTP-only cookie, our own sign-in page.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { authenticate } from "./authenticate";
import { clientAddressFromHeaders } from "../http/client-address";

export function authOptions(): NextAuthOptions {
  return {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const result = await authenticate(credentials, clientAddressFromHeaders(request?.headers));
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
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
  };
}
