import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat as statFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '@phoenix/errors';
import { assertStorageKey } from './keys.ts';
import { limitBytes } from './limit-bytes.ts';
import { SlabFileWriter } from './slab-file-writer.ts';
import type { PutOptions, Storage, StorageBody, StoredObject } from './types.ts';

const PARTIAL_SUFFIX = '.partial';

/**
 * Files under one root folder. A put writes `<key>.<uuid>.partial` and renames it into
 * place, so a reader never sees half an object and a failed put leaves nothing.
 */
export function createFilesystemStorage(root: string): Storage {
  const pathOf = (key: string) => join(root, assertStorageKey(key));

  return {
    kind: 'filesystem',

    async put(key: string, body: StorageBody, options: PutOptions = {}): Promise<StoredObject> {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const partial = `${target}.${randomUUID()}${PARTIAL_SUFFIX}`;
      const counter = limitBytes(options.maxBytes);
      try {
        await pipeline(body, counter.stream, new SlabFileWriter(partial, { flags: 'wx' }));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key, bytes: counter.bytes() };
    },

    async get(key: string): Promise<Readable> {
      const path = pathOf(key);
      const found = await statFile(path).catch(() => null);
      if (!found?.isFile()) throw notFound('File');
      return createReadStream(path);
    },

    async stat(key: string): Promise<{ bytes: number } | null> {
      const found = await statFile(pathOf(key)).catch(() => null);
      return found?.isFile() ? { bytes: found.size } : null;
    },

    async delete(key: string): Promise<void> {
      await rm(pathOf(key), { force: true });
    },

    async deletePrefix(prefix: string): Promise<number> {
      const folder = pathOf(prefix);
      const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      const files = entries.filter(
        (entry) => entry.isFile() && !entry.name.endsWith(PARTIAL_SUFFIX),
      );
      await rm(folder, { recursive: true, force: true });
      return files.length;
    },

    // Nothing is held open between calls.
    async close(): Promise<void> {},
  };
}
