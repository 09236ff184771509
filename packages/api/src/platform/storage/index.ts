export { createStorage } from './create.ts';
export { createFilesystemStorage } from './filesystem.ts';
export { assertStorageKey } from './keys.ts';
export type { S3StorageOptions } from './s3.ts';
export type { PutOptions, Storage, StorageBody, StoredObject } from './types.ts';
