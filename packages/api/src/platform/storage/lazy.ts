import { unavailable } from '@phoenix/errors';
import { loadOnce } from '../load-once.ts';
import type { Storage } from './types.ts';

/**
 * A storage whose implementation is loaded on first use: the S3 client is about 6 MB of
 * heap that a process on the filesystem never needs, and that every full GC would mark.
 * A load that failed is tried again by the next call; once closed, nothing is loaded.
 */
export function lazyStorage(
  options: { kind: Storage['kind']; retryAfterSeconds?: number | undefined },
  load: () => Promise<Storage>,
): Storage {
  const { kind } = options;
  const loaded = loadOnce(load);
  let closed = false;
  const real = () => {
    if (closed) {
      throw unavailable('The file store is closed (the process is stopping)', {
        reason: 'STORAGE_UNAVAILABLE',
        retryAfterSeconds: options.retryAfterSeconds ?? 5,
      });
    }
    return loaded();
  };
  return {
    kind,
    put: async (key, body, options) => (await real()).put(key, body, options),
    get: async (key) => (await real()).get(key),
    stat: async (key) => (await real()).stat(key),
    delete: async (key) => (await real()).delete(key),
    deletePrefix: async (prefix) => (await real()).deletePrefix(prefix),
    close: async () => {
      closed = true;
      const storage = await loaded.started()?.catch(() => undefined);
      await storage?.close();
    },
  };
}
