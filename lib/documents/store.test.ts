// The two document stores behind one interface. The local one on a temporary folder (whole files or
// nothing, missing keys, keys that could name a path refused). The S3 one against a small S3-speaking
// HTTP server started here (the edge of the system, like the SP-API sandbox): the requests it builds
// (method, path-style URL, content type, signed with the configured credentials and region) and the
// bytes it reads back. The real S3 service is not reachable from here and was not used.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../env";
import { DocumentMissingError, LocalDocumentStore, S3DocumentStore, s3ClientConfig } from "./store";

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const BYTES = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("LocalDocumentStore", () => {
  it("stores, reads and deletes whole files under <dir>/<seller>/<document>, leaving no temporary file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "store-"));
    const store = new LocalDocumentStore(dir);
    await store.put("seller1/doc1", BYTES, "image/png");
    expect(readdirSync(path.join(dir, "seller1"))).toEqual(["doc1"]);
    expect(await bytesOf(await store.read("seller1/doc1"))).toEqual(BYTES);
    await store.delete("seller1/doc1");
    expect(readdirSync(path.join(dir, "seller1"))).toEqual([]);
    await expect(store.read("seller1/doc1")).rejects.toBeInstanceOf(DocumentMissingError);
    await store.delete("seller1/doc1"); // already gone: not an error
  });

  it("refuses keys that are not <id>/<id> (no path can be named)", async () => {
    const store = new LocalDocumentStore(mkdtempSync(path.join(os.tmpdir(), "store-")));
    for (const key of ["../etc/passwd", "a/../../b", "a", "a/b/c", "/abs/x", "a/b.c"]) {
      await expect(store.put(key, BYTES, "image/png"), key).rejects.toThrow("Invalid document storage key");
    }
  });
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

describe("S3DocumentStore against an S3-speaking server", () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];
  const objects = new Map<string, { body: Buffer; type: string }>();

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://x");
      seen.push({ method: req.method ?? "", url: url.pathname, headers: req.headers, body });
      const key = url.pathname;
      if (req.method === "PUT") {
        objects.set(key, { body, type: String(req.headers["content-type"]) });
        res.writeHead(200, { etag: '"abc"' }).end();
      } else if (req.method === "GET") {
        const object = objects.get(key);
        if (!object) {
          res.writeHead(404, { "content-type": "application/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
          return;
        }
        res.writeHead(200, { "content-type": object.type, "content-length": String(object.body.length), etag: '"abc"' }).end(object.body);
      } else if (req.method === "DELETE") {
        objects.delete(key);
        res.writeHead(204).end();
      } else {
        res.writeHead(405).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("puts, gets and deletes objects path-style in the bucket, signed with the configured credentials", async () => {
    const store = new S3DocumentStore({ bucket: "claim-docs", endpoint, region: "eu-west-1", accessKeyId: "AKIATESTKEY", secretAccessKey: "test-secret-key" });
    await store.put("seller1/doc1", BYTES, "image/png");
    const put = seen.at(-1)!;
    expect(put.method).toBe("PUT");
    expect(put.url).toBe("/claim-docs/seller1/doc1");
    expect(put.headers["content-type"]).toBe("image/png");
    expect(put.body).toEqual(BYTES);
    expect(put.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);

    expect(await bytesOf(await store.read("seller1/doc1"))).toEqual(BYTES);
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/claim-docs/seller1/doc1" });

    await store.delete("seller1/doc1");
    expect(seen.at(-1)).toMatchObject({ method: "DELETE", url: "/claim-docs/seller1/doc1" });
    await expect(store.read("seller1/doc1")).rejects.toBeInstanceOf(DocumentMissingError);
    const before = seen.length;
    await expect(store.put("../other-bucket/x", BYTES, "image/png")).rejects.toThrow("Invalid document storage key");
    expect(seen.length).toBe(before);
    store.destroy();
  });

  it("addresses AWS itself virtual-host style when no endpoint is configured, and leaves credentials to the SDK's chain when none are given", () => {
    expect(s3ClientConfig({ bucket: "b", region: "us-east-1" })).toEqual({ region: "us-east-1" });
    expect(s3ClientConfig({ bucket: "b", region: "us-east-1", endpoint: "http://minio:9000", accessKeyId: "k", secretAccessKey: "s" })).toEqual({
      region: "us-east-1",
      endpoint: "http://minio:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "k", secretAccessKey: "s" },
    });
  });
});

describe("document settings (lib/env.ts)", () => {
  const base = { AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32).toString("base64") };

  it("defaults to the local store, 10 MB", () => {
    const env = parseEnv(base);
    expect(env.DOCUMENTS_STORE).toBe("local");
    expect(env.DOCUMENTS_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(env.DOCUMENTS_DIR).toBeUndefined();
  });

  it("asks for a bucket with the s3 store, and for both halves of a key pair", () => {
    expect(() => parseEnv({ ...base, DOCUMENTS_STORE: "s3" })).toThrow(/S3_BUCKET: is required with DOCUMENTS_STORE=s3/);
    expect(() => parseEnv({ ...base, DOCUMENTS_STORE: "s3", S3_BUCKET: "docs", S3_ACCESS_KEY_ID: "k" })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => parseEnv({ ...base, DOCUMENTS_STORE: "disk" })).toThrow(EnvError);
    expect(() => parseEnv({ ...base, DOCUMENTS_MAX_BYTES: "10" })).toThrow(/DOCUMENTS_MAX_BYTES/);
    expect(parseEnv({ ...base, DOCUMENTS_STORE: "s3", S3_BUCKET: "docs", S3_ENDPOINT: "http://minio:9000" })).toMatchObject({ DOCUMENTS_STORE: "s3", S3_BUCKET: "docs", S3_REGION: "us-east-1" });
  });
});
