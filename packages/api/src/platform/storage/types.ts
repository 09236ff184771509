import type { Readable } from 'node:stream';

/** Where a stored object's bytes come from: a Node stream or any async source of chunks. */
export type StorageBody = Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  contentType?: string;
  /**
   * Refuse the body once it passes this many bytes (`PAYLOAD_TOO_LARGE`); nothing is left
   * behind, as with any other failure during a put.
   */
  maxBytes?: number;
}

export interface StoredObject {
  key: string;
  bytes: number;
}

/**
 * Files the hub keeps (recordings, export archives). One small interface so the
 * filesystem default and S3-compatible storage are interchangeable: a put is all or
 * nothing (a failed or refused body leaves no object), a delete is idempotent.
 * Keys are relative paths of `[A-Za-z0-9._-]` segments separated by `/`.
 */
export interface Storage {
  readonly kind: 'filesystem' | 's3';
  put(key: string, body: StorageBody, options?: PutOptions): Promise<StoredObject>;
  /** The object's bytes as a stream; `NOT_FOUND` when there is none. */
  get(key: string): Promise<Readable>;
  /** Size in bytes, or null when there is no such object. */
  stat(key: string): Promise<{ bytes: number } | null>;
  delete(key: string): Promise<void>;
  /** Deletes every object under `prefix/`; returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Lets go of what the storage holds open (S3: the client's kept-alive sockets), at
   * shutdown once nothing uses it any more; idempotent. A no-op for the filesystem.
   */
  close(): Promise<void>;
}
