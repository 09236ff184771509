import { pipeline, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DomainError, isSocketError, notFound, unavailable } from '@phoenix/errors';
import { assertStorageKey } from './keys.ts';
import { limitBytes } from './limit-bytes.ts';
import type { PutOptions, Storage, StorageBody, StoredObject } from './types.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Every key is stored under `prefix/`; empty for the bucket's root. */
  prefix?: string;
  region: string;
  /** An S3-compatible server's URL; AWS's endpoint for the region when unset. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle?: boolean;
  timeouts: {
    /** Opening a connection. */
    connectMs: number;
    /** A whole small call (stat, get's headers, delete, list); the longest silence of an upload part. */
    requestMs: number;
  };
  /** What a 503 for a store that is down tells the client to wait. */
  retryAfterSeconds?: number;
}

/** A multipart part: S3's minimum; with `QUEUE_SIZE` in flight, an upload holds ~10 MB. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, R2...) with the filesystem's
 * semantics: a put streams through `@aws-sdk/lib-storage`'s multipart Upload (parts of
 * 5 MB, never the whole body in memory) and a failed or refused body aborts the multipart
 * upload, so no object appears; every call has a deadline; a store that is down or silent
 * is `STORAGE_UNAVAILABLE` (503).
 */
export function createS3Storage(options: S3StorageOptions): Storage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: options.timeouts.connectMs,
      // A socket silent this long fails the request (without the flag it only logs a warning).
      requestTimeout: options.timeouts.requestMs,
      throwOnRequestTimeout: true,
    },
  });
  const Bucket = options.bucket;
  const base = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const keyOf = (key: string) =>
    base ? `${base}/${assertStorageKey(key)}` : assertStorageKey(key);
  const deadline = () => AbortSignal.timeout(options.timeouts.requestMs);
  const down = (error: unknown) => storageError(error, options.retryAfterSeconds);
  let closed = false;
  /** A call after `close` would open new sockets that nothing closes: refused instead. */
  const open = () => {
    if (closed) {
      throw unavailable('The file store is closed (the process is stopping)', {
        reason: 'STORAGE_UNAVAILABLE',
        retryAfterSeconds: options.retryAfterSeconds ?? 5,
      });
    }
  };

  return {
    kind: 's3',

    async put(key: string, body: StorageBody, putOptions: PutOptions = {}): Promise<StoredObject> {
      open();
      const Key = keyOf(key);
      const counter = limitBytes(putOptions.maxBytes);
      // The first failure of the body (the source breaking, the byte limit) wins over what
      // the upload reports after it (an aborted stream).
      let bodyError: unknown;
      pipeline(body instanceof Readable ? body : Readable.from(body), counter.stream, (error) => {
        if (error) bodyError ??= error;
      });
      const upload = new Upload({
        client,
        params: {
          Bucket,
          Key,
          Body: counter.stream,
          ...(putOptions.contentType ? { ContentType: putOptions.contentType } : {}),
        },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        counter.stream.destroy();
        if (bodyError) throw bodyError;
        throw down(error);
      }
      if (bodyError) {
        // The store finished before the body's error surfaced: remove what it stored.
        await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => undefined);
        throw bodyError;
      }
      return { key, bytes: counter.bytes() };
    },

    async get(key: string): Promise<Readable> {
      open();
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }), {
          abortSignal: deadline(),
        });
        if (!(answer.Body instanceof Readable)) throw new Error('S3 answered without a body');
        return answer.Body;
      } catch (error) {
        if (isMissing(error)) throw notFound('File');
        throw down(error);
      }
    },

    async stat(key: string): Promise<{ bytes: number } | null> {
      open();
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }), {
          abortSignal: deadline(),
        });
        return { bytes: head.ContentLength ?? 0 };
      } catch (error) {
        if (isMissing(error)) return null;
        throw down(error);
      }
    },

    async delete(key: string): Promise<void> {
      open();
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }), {
          abortSignal: deadline(),
        });
      } catch (error) {
        if (isMissing(error)) return;
        throw down(error);
      }
    },

    async deletePrefix(prefix: string): Promise<number> {
      open();
      const Prefix = `${keyOf(prefix)}/`;
      let deleted = 0;
      try {
        let token: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }),
            { abortSignal: deadline() },
          );
          const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
          if (keys.length > 0) {
            await client.send(
              new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }),
              { abortSignal: deadline() },
            );
            deleted += keys.length;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw down(error);
      }
      return deleted;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Destroys the HTTP handler's agents: their kept-alive sockets to the store end now.
      client.destroy();
    },
  };
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' ||
      error.name === 'NotFound' ||
      error.$metadata.httpStatusCode === 404)
  );
}

/**
 * A domain error stays as it is; the store failing (unreachable, silent, 5xx, throttling)
 * becomes a typed 503; anything else (a refused request: bad credentials, no such
 * bucket) is a configuration fault, also answered 503 but logged with its cause.
 */
function storageError(error: unknown, retryAfterSeconds = 5): unknown {
  if (error instanceof DomainError) return error;
  const message =
    error instanceof S3ServiceException && !isTransient(error)
      ? `The file store refused the request (${error.name}); retry shortly`
      : 'The file store is unavailable; retry shortly';
  return unavailable(message, { reason: 'STORAGE_UNAVAILABLE', retryAfterSeconds, cause: error });
}

function isTransient(error: Error): boolean {
  if (isSocketError(error)) return true;
  if (error instanceof S3ServiceException) return (error.$metadata.httpStatusCode ?? 500) >= 500;
  return true;
}
