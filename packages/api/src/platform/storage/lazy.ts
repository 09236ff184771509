import type { Storage } from './types.ts';

/**
 * A storage whose implementation is loaded on first use: the S3 client is about 6 MB of
 * heap that a process on the filesystem never needs, and that every full GC would mark.
 */
export function lazyStorage(kind: Storage['kind'], load: () => Promise<Storage>): Storage {
  let loading: Promise<Storage> | undefined;
  const real = () => {
    loading ??= load();
    return loading;
  };
  return {
    kind,
    put: async (key, body, options) => (await real()).put(key, body, options),
    get: async (key) => (await real()).get(key),
    stat: async (key) => (await real()).stat(key),
    delete: async (key) => (await real()).delete(key),
    deletePrefix: async (prefix) => (await real()).deletePrefix(prefix),
    // Nothing to let go of if it was never loaded.
    close: async () => {
      if (loading) await (await loading).close();
    },
  };
}
