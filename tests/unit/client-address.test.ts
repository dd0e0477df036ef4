import { describe, expect, it } from "vitest";
import {
  addressBucket,
  clientAddressFromHeaders,
  normalizeAddress,
  parseTrustedProxies,
  resolveClientAddress,
  setStampToken,
  stampedHeadersForTests,
  TrustedProxiesError,
  UNKNOWN_ADDRESS,
} from "@/lib/http/client-address";
import { parseEnv } from "@/lib/env";

const none = parseTrustedProxies(undefined);

describe("client address", () => {
  it("without trusted proxies is the peer, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.9", undefined, none)).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", ["1.1.1.1, 2.2.2.2", "3.3.3.3"], none)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:203.0.113.9", "junk", none)).toBe("203.0.113.9");
    expect(resolveClientAddress(undefined, "198.51.100.1", none)).toBe(UNKNOWN_ADDRESS);
  });

  it("with a hop count takes the address that many hops back, never further than the chain", () => {
    const one = parseTrustedProxies("1");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.1", one)).toBe("198.51.100.1");
    // A client-written entry sits to the left of what our proxy appended: it is ignored.
    expect(resolveClientAddress("10.0.0.2", "6.6.6.6, 198.51.100.1", one)).toBe("198.51.100.1");
    expect(resolveClientAddress("10.0.0.2", undefined, one)).toBe("10.0.0.2");
    const two = parseTrustedProxies("2");
    expect(resolveClientAddress("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", two)).toBe("198.51.100.1");
  });

  it("with a list of proxies walks back over trusted hops only", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 192.0.2.7, loopback");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.1", trust)).toBe("198.51.100.1");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.0.2.7", trust)).toBe("198.51.100.1");
    expect(resolveClientAddress("::1", "198.51.100.1", trust)).toBe("198.51.100.1");
    // The peer is not a trusted proxy: its header means nothing.
    expect(resolveClientAddress("198.51.100.50", "6.6.6.6", trust)).toBe("198.51.100.50");
    // Garbage behind a trusted hop: the last good address counts.
    expect(resolveClientAddress("10.1.2.3", "not-an-ip", trust)).toBe("10.1.2.3");
    // Every hop trusted: the furthest one.
    expect(resolveClientAddress("10.1.2.3", "10.9.9.9", trust)).toBe("10.9.9.9");
    expect(resolveClientAddress("10.1.2.3", "[2001:db8::5]:443", parseTrustedProxies("private"))).toBe("2001:db8::5");
  });

  it("refuses malformed TRUSTED_PROXIES, naming the variable at start-up", () => {
    for (const bad of ["10.0.0.0/33", "example.com", "1.2.3", "::1/129", "10.0.0.0/8/1", "99"]) {
      expect(() => parseTrustedProxies(bad)).toThrow(TrustedProxiesError);
    }
    expect(() => parseEnv({ TRUSTED_PROXIES: "proxy.internal", DATA_DIR: ".data/test" })).toThrow(/TRUSTED_PROXIES/);
    expect(parseTrustedProxies("")).toEqual({ kind: "none" });
    expect(parseTrustedProxies("0")).toEqual({ kind: "none" });
  });

  it("normalises what sockets and proxies report", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("198.51.100.1:8080")).toBe("198.51.100.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("unknown")).toBeNull();
    expect(normalizeAddress("")).toBeNull();
  });

  it("counts IPv6 clients by their /64, IPv4 by the address", () => {
    expect(addressBucket("198.51.100.1")).toBe("198.51.100.1");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket(UNKNOWN_ADDRESS)).toBe(UNKNOWN_ADDRESS);
  });

  it("believes a stamped address only with this process's token", () => {
    const stamped = stampedHeadersForTests("198.51.100.77");
    expect(clientAddressFromHeaders(new Headers(stamped))).toBe("198.51.100.77");
    expect(clientAddressFromHeaders(stamped)).toBe("198.51.100.77");
    expect(clientAddressFromHeaders({ ...stamped, "x-client-address-token": "guess" })).toBe(UNKNOWN_ADDRESS);
    expect(clientAddressFromHeaders({ "x-client-address": "198.51.100.77" })).toBe(UNKNOWN_ADDRESS);
    expect(clientAddressFromHeaders({ "x-forwarded-for": "198.51.100.77" })).toBe(UNKNOWN_ADDRESS);
    expect(clientAddressFromHeaders(undefined)).toBe(UNKNOWN_ADDRESS);
    setStampToken("rotated");
    expect(clientAddressFromHeaders(stamped)).toBe(UNKNOWN_ADDRESS);
  });
});
