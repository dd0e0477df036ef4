// Types of next.config.mjs's exports, for the tests that check them (tests/unit/security-headers.test.ts).
import type { NextConfig } from "next";

export const permissionsPolicy: string;
export const apiContentSecurityPolicy: string;
export const unloggedRequests: RegExp[];
declare const nextConfig: NextConfig;
export default nextConfig;
