// Where the bytes of a seller's documents live. One interface, two implementations chosen by
// configuration (DOCUMENTS_STORE): the local disk (DOCUMENTS_DIR, default `documents` under DATA_DIR)
// or an S3-compatible bucket (S3_BUCKET, S3_ENDPOINT for MinIO/R2/...). The upload, download, delete
// and evidence-pack code paths are the same for both; only the store differs.
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { dataDir, env } from "../env";

export type StoreKind = "local" | "s3";

export interface DocumentStore {
  readonly kind: StoreKind;
  /** Stores the bytes under `key` whole or not at all (a failed put leaves nothing behind). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes under `key` as a stream; DocumentMissingError when there are none. */
  read(key: string): Promise<Readable>;
  /** Removes `key`; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
}

export class DocumentMissingError extends Error {
  constructor(key: string) {
    super(`No stored document under ${key}`);
    this.name = "DocumentMissingError";
  }
}

/** Keys are made by the app (`<seller connection>/<document id>`): letters, digits, `_`, `-` and one `/` level. */
const KEY = /^[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error("Invalid document storage key");
  return key;
}

/** Files in a folder, one per key; written to a temporary name and renamed, so a reader never sees half a file. */
export class LocalDocumentStore implements DocumentStore {
  readonly kind = "local" as const;

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return path.join(this.dir, ...checkKey(key).split("/"));
  }

  async put(key: string, bytes: Uint8Array, _contentType?: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temporary = `${target}.${randomUUID()}.partial`;
    try {
      await writeFile(temporary, bytes, { mode: 0o600, flag: "wx" });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch {
      throw new DocumentMissingError(key);
    }
    return createReadStream(file);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** The S3 client's settings: path-style addressing for a custom endpoint (MinIO and most S3-compatible services need it). */
export function s3ClientConfig(options: S3StoreOptions): S3ClientConfig {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
  };
}

/** Objects in a bucket, one per key (an object PUT is atomic: it exists whole or not at all). */
export class S3DocumentStore implements DocumentStore {
  readonly kind = "s3" as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.client = new S3Client(s3ClientConfig(options));
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key), Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }),
    );
  }

  async read(key: string): Promise<Readable> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
      if (!answer.Body) throw new DocumentMissingError(key);
      // In Node the body is an http.IncomingMessage (a Readable) with the SDK's stream helpers mixed in.
      return answer.Body as Readable;
    } catch (error) {
      if (error instanceof Error && (error.name === "NoSuchKey" || error.name === "NotFound")) throw new DocumentMissingError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The local store's folder: DOCUMENTS_DIR, else `documents` under DATA_DIR. */
export function documentsDir(): string {
  const configured = env().DOCUMENTS_DIR;
  return configured ? path.resolve(/*turbopackIgnore: true*/ configured) : path.join(dataDir(), "documents");
}

let cached: DocumentStore | undefined;

/** The configured store of this process. */
export function documentStore(): DocumentStore {
  if (cached) return cached;
  const e = env();
  cached =
    e.DOCUMENTS_STORE === "s3"
      ? new S3DocumentStore({
          bucket: e.S3_BUCKET!,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        })
      : new LocalDocumentStore(documentsDir());
  return cached;
}

/** The store a stored row names (a row written under `local` stays readable after a switch, and vice versa, when both are configured). */
export function storeFor(kind: string): DocumentStore {
  const store = documentStore();
  if (store.kind === kind) return store;
  if (kind === "local") return new LocalDocumentStore(documentsDir());
  throw new Error(`This document is kept in the ${kind} store, which is not configured`);
}

