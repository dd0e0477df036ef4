// Stamps every request the Node HTTP server receives with the client address computed from the
// socket's peer address (see client-address.ts). Node publishes `http.server.request.start` on a
// diagnostics channel synchronously, before the server's `request` listener (Next.js) sees the
// request, so the stamp is in place for proxy.ts, route handlers and next-auth alike, and whatever a
// client sent under the same header names is overwritten.
import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { env } from "../env";
import { parseTrustedProxies, resolveClientAddress, setStampToken, stampClientAddress, stampToken, type ProxyTrust } from "./client-address";

const INSTALLED = Symbol.for("fba-recovery.client-address-hook");
type Holder = { [INSTALLED]?: true };

interface RequestStart {
  request: IncomingMessage;
  socket: Socket;
}

/** Installs the stamp for this process (once; later calls are no-ops). */
export function installClientAddressHook(trust: ProxyTrust): void {
  const holder = globalThis as Holder;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  const token = stampToken() ?? randomBytes(24).toString("base64url");
  setStampToken(token);
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    const address = resolveClientAddress(socket?.remoteAddress ?? request.socket?.remoteAddress, request.headers["x-forwarded-for"], trust);
    stampClientAddress(request.headers as Record<string, unknown>, address, token);
  });
}

/** The hook with TRUSTED_PROXIES from the environment (instrumentation.ts, at server start). */
export function installClientAddressHookFromEnv(): void {
  installClientAddressHook(parseTrustedProxies(env().TRUSTED_PROXIES));
}
