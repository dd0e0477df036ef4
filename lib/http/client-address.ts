// The one answer to "which address is this request from?", for the sign-in throttle and the rate
// limits. The peer address of the TCP connection is the truth; `X-Forwarded-For` is believed only as
// far as TRUSTED_PROXIES says the hops that wrote it are ours. Without trusted proxies every request
// from one peer is one address, whatever headers it sends.
//
// Next.js does not give route handlers (or next-auth's authorize()) the peer address: it only fills
// `x-forwarded-for` with it when the client sent none. So a hook on Node's HTTP server
// (client-address-hook.ts, installed by instrumentation.ts) computes the address from the socket and
// stamps it on the request as `x-client-address`, overwriting anything the client sent, together
// with a per-process token that the client cannot know. Readers trust the stamp only with that token.
import { BlockList, isIP } from "node:net";
import { timingSafeEqual } from "node:crypto";

export const CLIENT_ADDRESS_HEADER = "x-client-address";
export const CLIENT_ADDRESS_TOKEN_HEADER = "x-client-address-token";
/** Requests whose address cannot be established share this one. */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * TRUSTED_PROXIES, parsed: either a number of proxy hops in front of the app (every one of them
 * appends to X-Forwarded-For), or the addresses of the proxies (IPs, CIDRs, `loopback`, `private`).
 */
export type ProxyTrust = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "list"; trusts(address: string): boolean };

export const NO_TRUSTED_PROXIES: ProxyTrust = { kind: "none" };

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10"],
};

export class TrustedProxiesError extends Error {
  constructor(entry: string) {
    super(`"${entry}" is not an IP address, a CIDR range, "loopback", "private" or a hop count`);
    this.name = "TrustedProxiesError";
  }
}

/** Parses TRUSTED_PROXIES: unset or empty = none; `2` = two proxy hops; `10.0.0.0/8, 192.0.2.7, loopback` = those proxies. */
export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0") return NO_TRUSTED_PROXIES;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) throw new TrustedProxiesError(text);
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  for (const raw of text.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    for (const range of NAMED_RANGES[entry] ?? [entry]) addRange(list, range, raw.trim());
  }
  return { kind: "list", trusts: (address) => matches(list, address) };
}

function addRange(list: BlockList, range: string, original: string): void {
  const [base = "", bits, extra] = range.split("/");
  const address = normalizeAddress(base);
  const family = address ? isIP(address) : 0;
  if (!address || !family || extra !== undefined) throw new TrustedProxiesError(original);
  const type = family === 4 ? "ipv4" : "ipv6";
  if (bits === undefined) return list.addAddress(address, type);
  const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) throw new TrustedProxiesError(original);
  list.addSubnet(address, prefix, type);
}

function matches(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * A bare IP address from what a socket or a proxy reports: IPv4-mapped IPv6 (`::ffff:1.2.3.4`)
 * as IPv4, brackets and ports removed (`[2001:db8::1]:443`, `1.2.3.4:80`); null if it is no address.
 */
export function normalizeAddress(value: string | undefined | null): string | null {
  let text = value?.trim() ?? "";
  if (!text) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) text = mapped[1]!;
  return isIP(text) ? text : null;
}

/**
 * The client's address from the peer address and the X-Forwarded-For chain (each proxy appends the
 * address it received the request from). Walks from the peer towards the client and stops at the
 * first hop that is not a trusted proxy; an entry that is not an address ends the walk at the last
 * address known to be good.
 */
export function resolveClientAddress(peer: string | undefined | null, forwardedFor: string | string[] | undefined | null, trust: ProxyTrust): string {
  const peerAddress = normalizeAddress(peer);
  if (!peerAddress) return UNKNOWN_ADDRESS;
  if (trust.kind === "none") return peerAddress;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map((entry) => entry.trim()).filter(Boolean);
  // chain[0] is the peer, chain[1] the address the peer says it got the request from, and so on.
  const chain = [peerAddress, ...forwarded.reverse().map(normalizeAddress)];
  let client = peerAddress;
  for (let hop = 0; hop < chain.length; hop++) {
    const address = chain[hop];
    if (!address) break;
    client = address;
    const trusted = trust.kind === "hops" ? hop < trust.hops : trust.trusts(address);
    if (!trusted) break;
  }
  return client;
}

/**
 * The key an address is counted under: IPv4 as is, IPv6 by its /64 prefix (one subscriber usually
 * holds a whole /64, so counting single IPv6 addresses would let a client rotate past every limit).
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

function expandIpv6(address: string): string[] | null {
  let text = address.split("%")[0]!;
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  return groups.map((group) => (parseInt(group, 16) || 0).toString(16));
}

// The stamp. The token lives on globalThis because instrumentation and each route are separate
// bundles with their own module instances, all in one process.
const TOKEN_KEY = Symbol.for("fba-recovery.client-address-token");
type TokenHolder = { [TOKEN_KEY]?: string };

export function stampToken(): string | undefined {
  return (globalThis as TokenHolder)[TOKEN_KEY];
}

export function setStampToken(token: string): void {
  (globalThis as TokenHolder)[TOKEN_KEY] = token;
}

type HeaderSource = Headers | Record<string, unknown> | undefined | null;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  if (Array.isArray(value)) return typeof value[0] === "string" ? value[0] : undefined;
  return typeof value === "string" ? value : undefined;
}

/** Writes the address and this process's token into Node request headers (the hook, and tests). */
export function stampClientAddress(headers: Record<string, unknown>, address: string, token: string): void {
  headers[CLIENT_ADDRESS_HEADER] = address;
  headers[CLIENT_ADDRESS_TOKEN_HEADER] = token;
}

/** Headers for a test Request that carries a stamped address (the hook is not running in tests). */
export function stampedHeadersForTests(address: string, init: Record<string, string> = {}): Record<string, string> {
  let token = stampToken();
  if (!token) {
    token = `test-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    setStampToken(token);
  }
  return { ...init, [CLIENT_ADDRESS_HEADER]: address, [CLIENT_ADDRESS_TOKEN_HEADER]: token };
}

/**
 * The client address of a request (a Request's Headers or next-auth's plain header object): the
 * stamped one when the stamp carries this process's token, otherwise UNKNOWN_ADDRESS, never a value
 * the client chose.
 */
export function clientAddressFromHeaders(headers: HeaderSource): string {
  const token = stampToken();
  const presented = headerValue(headers, CLIENT_ADDRESS_TOKEN_HEADER);
  if (!token || !presented || !sameText(token, presented)) return UNKNOWN_ADDRESS;
  const address = headerValue(headers, CLIENT_ADDRESS_HEADER);
  return address === UNKNOWN_ADDRESS ? UNKNOWN_ADDRESS : (normalizeAddress(address) ?? UNKNOWN_ADDRESS);
}

export function clientAddressOf(request: Request): string {
  return clientAddressFromHeaders(request.headers);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
