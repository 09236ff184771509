import type { Config } from '@phoenix/config';
import { createFilesystemStorage } from './filesystem.ts';
import { lazyStorage } from './lazy.ts';
import type { Storage } from './types.ts';

/** The configured storage: S3-compatible when STORAGE_URL / S3_BUCKET name a bucket, the folder otherwise. */
export function createStorage(config: Pick<Config, 'storage' | 'stores'>): Storage {
  const { s3, dir, timeouts } = config.storage;
  if (!s3) return createFilesystemStorage(dir);
  const retryAfterSeconds = config.stores.retryAfterSeconds;
  return lazyStorage({ kind: 's3', retryAfterSeconds }, async () => {
    const { createS3Storage } = await import('./s3.ts');
    return createS3Storage({
      bucket: s3.bucket,
      prefix: s3.prefix,
      region: s3.region,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      forcePathStyle: s3.forcePathStyle,
      timeouts,
      retryAfterSeconds,
    });
  });
}
