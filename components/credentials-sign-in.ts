"use client";

import { signIn } from "next-auth/react";

/**
 * Signs in with email and password; resolves to an error code or null on success. A first visit can
 * race next-auth's CSRF cookie (the session probe and the sign-in each mint one), which next-auth
 * reports as a redirect to `?csrf=true` rather than an error; one retry with the settled cookie fixes it.
 */
export async function signInWithPassword(email: string, password: string): Promise<string | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.error) return result.error;
    if (result?.ok && !result.url?.includes("csrf=true")) return null;
  }
  return "SignInFailed";
}
