export { createFilesystemStorage } from './filesystem.ts';
export { assertStorageKey } from './keys.ts';
export type { PutOptions, Storage, StorageBody, StoredObject } from './types.ts';
